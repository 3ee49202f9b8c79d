package io.micro4j.registry;

/**
 * Receives the events of a {@link Registry#watch watch}. Called on the registry's own thread; keep it quick.
 */
@FunctionalInterface
public interface RegistryListener {

	void onEvent(RegistryEvent event);

	/**
	 * The watch failed and will not deliver further events; the watcher should re-list and watch again.
	 * The default does nothing.
	 */
	default void onError(Throwable error) {
	}

}
