package io.micro4j.registry;

import java.util.Objects;

/**
 * A change seen by a registry watch.
 *
 * @param type what happened
 * @param service the service version with the node(s) the change concerns
 */
public record RegistryEvent(Type type, Service service) {

	public RegistryEvent {
		Objects.requireNonNull(type, "type");
		Objects.requireNonNull(service, "service");
	}

	/** go-micro's watch actions. */
	public enum Type {

		/** A node appeared ({@code create}). */
		CREATE("create"),
		/** A node's record changed ({@code update}). */
		UPDATE("update"),
		/** A node went away ({@code delete}). */
		DELETE("delete");

		private final String action;

		Type(String action) {
			this.action = action;
		}

		/** go-micro's action string. */
		public String action() {
			return this.action;
		}

	}

}
