package io.micro4j.selector;

/**
 * STUB: to be implemented. The built-in filters: by version, metadata label, endpoint.
 */
public final class Filters {

	private Filters() {
	}

	/** Only service versions equal to {@code version}. */
	public static ServiceFilter version(String version) {
		throw new UnsupportedOperationException();
	}

	/** Only nodes whose metadata has {@code key=value}. */
	public static ServiceFilter label(String key, String value) {
		throw new UnsupportedOperationException();
	}

	/** Only service versions that advertise endpoint {@code endpoint}. */
	public static ServiceFilter endpoint(String endpoint) {
		throw new UnsupportedOperationException();
	}

}
