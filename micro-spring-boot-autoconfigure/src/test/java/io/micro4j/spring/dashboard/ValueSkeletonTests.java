package io.micro4j.spring.dashboard;

import java.util.List;

import io.micro4j.registry.Value;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

class ValueSkeletonTests {

	private static final JsonMapper mapper = JsonMapper.builder().build();

	@Test
	void whenTheRequestHasScalarsThenEachGetsItsZeroValue() {
		Value request = Value.of("Request", "Request", List.of(Value.of("name", "string"), Value.of("age", "int32"),
				Value.of("score", "float64"), Value.of("admin", "bool"), Value.of("raw", "[]uint8")));

		assertThat(json(request)).isEqualTo("{\"name\":\"\",\"age\":0,\"score\":0,\"admin\":false,\"raw\":\"\"}");
	}

	@Test
	void whenTheRequestHasSlicesMapsStructsAndPointersThenTheyKeepTheirShape() {
		Value address = Value.of("address", "*Address",
				List.of(Value.of("street", "string"), Value.of("zip", "uint16")));
		Value request = Value.of("Request", "Request", List.of(Value.of("tags", "[]string"),
				Value.of("labels", "map[string]string"), address, Value.of("when", "Timestamp"),
				Value.of("count", "*int64")));

		assertThat(json(request)).isEqualTo(
				"{\"tags\":[],\"labels\":{},\"address\":{\"street\":\"\",\"zip\":0},\"when\":null,\"count\":0}");
	}

	@Test
	void whenTheRequestHasNoFieldsThenTheSkeletonIsAnEmptyObject() {
		assertThat(json(Value.of("Empty", "Empty"))).isEqualTo("{}");
	}

	private static String json(Value value) {
		return mapper.writeValueAsString(ValueSkeleton.of(value));
	}

}
