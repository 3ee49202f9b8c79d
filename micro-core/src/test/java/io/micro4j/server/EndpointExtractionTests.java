package io.micro4j.server;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.micro4j.metadata.Metadata;
import io.micro4j.registry.RegistryCodec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EndpointExtractionTests {

	record Request(String name) {
	}

	record Response(String msg) {
	}

	record Event(String id, String message) {
	}

	static class Greeter {

		public Response hello(Request request) {
			return new Response("Hello " + request.name());
		}

		@Override
		public String toString() {
			return "Greeter";
		}

	}

	static class Sub {

		public void handle(Event event) {
		}

	}

	static class Shapes {

		public CompletableFuture<Response> later(Request request, Metadata metadata) {
			return CompletableFuture.completedFuture(new Response("x"));
		}

		public Nested nested(Nested nested) {
			return nested;
		}

	}

	record Nested(long id, boolean ok, double ratio, List<String> tags, Map<String, Integer> counts, byte[] raw,
			Request inner) {
	}

	static class Overloaded {

		public Response hello(Request request) {
			return null;
		}

		public Response hello(Event event) {
			return null;
		}

	}

	/** A superclass of the application: its methods are inherited, not declared by the handler. */
	static class Base {

		public Response inherited(Request request) {
			return new Response("inherited");
		}

		public Response viaInterface(Request request) {
			return new Response("via interface");
		}

	}

	/** An interface of the application: the methods it declares are endpoints unless marked. */
	interface Api {

		Response viaInterface(Request request);

		@NotAnEndpoint
		Response internal(Request request);

		default Response defaulted(Request request) {
			return new Response("default");
		}

	}

	/** A bean with everything a bean has besides its endpoints. */
	static class Bean extends Base implements Api, AutoCloseable, Comparable<Request> {

		private String name = "";

		public Response hello(Request request) {
			return new Response("Hello " + request.name());
		}

		public Response withMetadata(Request request, Metadata metadata) {
			return new Response("with metadata");
		}

		public Response setUp(Request request) {
			return new Response("not a setter: it answers");
		}

		public void setName(String name) {
			this.name = name;
		}

		public String getName() {
			return this.name;
		}

		public boolean isReady() {
			return true;
		}

		public void destroy() {
		}

		@Override
		public void close() {
		}

		@Override
		public int compareTo(Request other) {
			return 0;
		}

		@Override
		public Response internal(Request request) {
			return new Response("internal");
		}

		@NotAnEndpoint
		public Response audit(Request request) {
			return new Response("audit");
		}

		public Response pair(Request first, Request second) {
			return new Response("two requests");
		}

		public Response headersOnly(Metadata metadata) {
			return new Response("no request");
		}

		public static Response of(Request request) {
			return new Response("static");
		}

		@Override
		public boolean equals(Object other) {
			return this == other;
		}

		@Override
		public int hashCode() {
			return 1;
		}

	}

	@Test
	void whenABeanHasSettersGettersLifecycleAndPlatformMethodsThenOnlyItsRequestMethodsAreEndpoints() {
		assertThat(HandlerMethod.endpoints("Bean", new Bean())).extracting(HandlerMethod::endpoint)
			.containsExactly("Bean.Defaulted", "Bean.Hello", "Bean.SetUp", "Bean.ViaInterface", "Bean.WithMetadata");
	}

	@Test
	void whenAHandlerHasNoEndpointMethodThenTheServerRefusesIt() {
		DefaultServer server = DefaultServer.builder("x")
			.registry(new io.micro4j.registry.memory.MemoryRegistry())
			.build();
		assertThatThrownBy(() -> server.handle(new Object() {

			public String status() {
				return "ok";
			}

		})).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has no endpoints");
	}

	@Test
	void whenHandlerIsReflectedThenEndpointJsonEqualsGoMicros() {
		List<HandlerMethod> methods = HandlerMethod.endpoints("Greeter", new Greeter());
		assertThat(methods).extracting(HandlerMethod::endpoint).containsExactly("Greeter.Hello");
		assertThat(RegistryCodec.encodeEndpoint(methods.get(0).toEndpoint())).isEqualTo(
				"{\"request\":{\"name\":\"Request\",\"type\":\"Request\",\"values\":[{\"name\":\"name\",\"type\":\"string\",\"values\":null}]},"
						+ "\"response\":{\"name\":\"Response\",\"type\":\"Response\",\"values\":[{\"name\":\"msg\",\"type\":\"string\",\"values\":null}]},"
						+ "\"metadata\":{},\"name\":\"Greeter.Hello\"}");
	}

	@Test
	void whenSubscriberIsReflectedThenEndpointJsonEqualsGoMicros() throws Exception {
		Method method = Sub.class.getMethod("handle", Event.class);
		HandlerMethod handler = HandlerMethod.subscriber(new Sub(), method);
		assertThat(RegistryCodec.encodeEndpoint(handler.toSubscriberEndpoint("greeter.events"))).isEqualTo(
				"{\"request\":{\"name\":\"Event\",\"type\":\"Event\",\"values\":[{\"name\":\"id\",\"type\":\"string\",\"values\":null},"
						+ "{\"name\":\"message\",\"type\":\"string\",\"values\":null}]},\"response\":null,"
						+ "\"metadata\":{\"subscriber\":\"true\",\"topic\":\"greeter.events\"},\"name\":\"Sub.Handle\"}");
	}

	@Test
	void whenTypesAreRicherThenGoSpellingsAreUsed() {
		HandlerMethod nested = HandlerMethod.endpoints("Shapes", new Shapes()).stream()
			.filter(m -> m.endpoint().equals("Shapes.Nested"))
			.findFirst()
			.orElseThrow();
		var values = nested.toEndpoint().request().values();
		assertThat(values).extracting(v -> v.name() + ":" + v.type())
			.containsExactly("id:int64", "ok:bool", "ratio:float64", "tags:[]string", "counts:map[string]int32",
					"raw:[]uint8", "inner:Request");
		assertThat(values.get(6).values()).extracting(v -> v.name()).containsExactly("name");
	}

	@Test
	void whenMethodReturnsAFutureThenTheResponseShapeIsItsValue() {
		HandlerMethod later = HandlerMethod.endpoints("Shapes", new Shapes()).get(0);
		assertThat(later.endpoint()).isEqualTo("Shapes.Later");
		assertThat(later.isAsync()).isTrue();
		assertThat(later.toEndpoint().response().name()).isEqualTo("Response");
		assertThat(later.requestType()).isEqualTo(Request.class);
	}

	@Test
	void whenHandlerHasOverloadsThenServerRefusesIt() {
		DefaultServer server = DefaultServer.builder("x")
			.registry(new io.micro4j.registry.memory.MemoryRegistry())
			.build();
		assertThatThrownBy(() -> server.handle(new Overloaded())).isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("duplicate endpoint Overloaded.Hello");
	}

}
