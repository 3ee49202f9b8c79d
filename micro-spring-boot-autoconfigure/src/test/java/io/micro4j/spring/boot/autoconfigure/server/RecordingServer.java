package io.micro4j.spring.boot.autoconfigure.server;

import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micro4j.registry.Service;
import io.micro4j.server.Server;

/** A {@link Server} that records what it is asked, in order. */
final class RecordingServer implements Server {

	final List<String> events = new CopyOnWriteArrayList<>();

	final List<Object> handlers = new CopyOnWriteArrayList<>();

	final List<Object> subscriberBeans = new CopyOnWriteArrayList<>();

	private volatile boolean running;

	@Override
	public String name() {
		return "recording";
	}

	@Override
	public String nodeId() {
		return "recording-1";
	}

	@Override
	public void handle(String name, Object handler) {
		this.events.add("handle " + name);
		this.handlers.add(handler);
	}

	@Override
	public void subscribe(String topic, String queue, Object bean, Method method) {
		this.events.add("subscribe " + topic + " " + queue + " " + method.getName());
		this.subscriberBeans.add(bean);
	}

	@Override
	public void start() {
		this.events.add("start");
		this.running = true;
	}

	@Override
	public void stop() {
		if (this.running) {
			this.events.add("stop");
		}
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public Optional<InetSocketAddress> boundAddress() {
		return Optional.empty();
	}

	@Override
	public Service service() {
		throw new UnsupportedOperationException();
	}

}
