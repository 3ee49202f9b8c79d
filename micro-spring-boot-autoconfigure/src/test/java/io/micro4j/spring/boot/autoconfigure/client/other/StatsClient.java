package io.micro4j.spring.boot.autoconfigure.client.other;

import io.micro4j.spring.annotation.MicroClient;

@MicroClient(value = "stats", handler = "Counter")
public interface StatsClient {

	Long count(String key);

}
