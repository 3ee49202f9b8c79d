package io.micro4j.cli;

import io.micro4j.registry.RegistryCodec;
import io.micro4j.registry.Service;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** JSON in and out of the CLI. */
final class Json {

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	private static final JsonMapper PRETTY = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

	private Json() {
	}

	/**
	 * Parses {@code text}, the argument {@code what}.
	 * @throws CliException (usage) when it is not JSON
	 */
	static JsonNode parse(String what, String text) {
		try {
			return MAPPER.readTree(text);
		}
		catch (JacksonException ex) {
			throw CliException.usage(what + " is not JSON: " + ex.getOriginalMessage());
		}
	}

	/** A new JSON object. */
	static ObjectNode object() {
		return MAPPER.createObjectNode();
	}

	/** A new JSON array. */
	static ArrayNode array() {
		return MAPPER.createArrayNode();
	}

	/** The registry record of {@code service} as go-micro writes it. */
	static JsonNode record(Service service) {
		return MAPPER.readTree(RegistryCodec.encode(service));
	}

	/** One line. */
	static String compact(JsonNode json) {
		return MAPPER.writeValueAsString(json);
	}

	/** Indented, for people. */
	static String pretty(JsonNode json) {
		return PRETTY.writeValueAsString(json);
	}

}
