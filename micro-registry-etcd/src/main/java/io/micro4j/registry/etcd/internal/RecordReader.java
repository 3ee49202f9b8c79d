package io.micro4j.registry.etcd.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import io.etcd.jetcd.KeyValue;
import io.micro4j.registry.InvalidRecordException;
import io.micro4j.registry.RegistryCodec;
import io.micro4j.registry.Service;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes registry records, skipping those that do not parse: each bad record (key and revision) is reported with
 * one warning, then only at debug level however often it is read again.
 */
public final class RecordReader {

	/** How many bad records are remembered so they are not reported again. */
	static final int REMEMBERED = 1024;

	private static final Logger logger = LoggerFactory.getLogger(RecordReader.class);

	private final Map<String, Boolean> reported = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {

		private static final long serialVersionUID = 1L;

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
			return size() > REMEMBERED;
		}

	});

	/** The record stored in {@code kv}, or {@code null} if it is not go-micro's JSON of a service with a node. */
	public @Nullable Service read(KeyValue kv) {
		try {
			Service service = RegistryCodec.decode(kv.getValue().getBytes());
			if (service.nodes().isEmpty()) {
				throw new InvalidRecordException("registry record of " + service.name() + " has no node");
			}
			return service;
		}
		catch (InvalidRecordException ex) {
			String key = kv.getKey().toString() + "@" + kv.getModRevision();
			if (this.reported.put(key, Boolean.TRUE) == null) {
				logger.warn("Skipping registry record {} (revision {}): {}", kv.getKey(), kv.getModRevision(),
						ex.getMessage());
			}
			else {
				logger.debug("Skipping registry record {} again: {}", kv.getKey(), ex.getMessage());
			}
			return null;
		}
	}

}
