package io.micro4j.registry.etcd;

import java.util.ArrayList;
import java.util.List;

/** What a test opened, closed after it in reverse order. */
final class Closeables implements AutoCloseable {

	private final List<AutoCloseable> opened = new ArrayList<>();

	/** Closes {@code closeable} when this is closed; returns it. */
	<T extends AutoCloseable> T track(T closeable) {
		this.opened.add(closeable);
		return closeable;
	}

	@Override
	public void close() throws Exception {
		for (int i = this.opened.size() - 1; i >= 0; i--) {
			this.opened.get(i).close();
		}
		this.opened.clear();
	}

}
