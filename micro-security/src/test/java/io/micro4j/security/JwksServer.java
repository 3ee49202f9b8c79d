package io.micro4j.security;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import com.sun.net.httpserver.HttpServer;

/** A JWK set served by the JDK's HTTP server on a loopback port: public keys only. */
final class JwksServer implements AutoCloseable {

	private final HttpServer server;

	private final AtomicInteger fetches = new AtomicInteger();

	JwksServer(List<JWK> keys) throws IOException {
		byte[] body = new JWKSet(keys).toString(true).getBytes(StandardCharsets.UTF_8);
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/jwks.json", (exchange) -> {
			this.fetches.incrementAndGet();
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		});
		this.server.start();
	}

	/** The public JWKs of an RSA, an EC P-256 and an Ed25519 key pair, with key ids {@code rsa}, {@code ec}, {@code ed}. */
	static List<JWK> jwks(KeyPair rsa, KeyPair ec, KeyPair ed) {
		List<JWK> keys = new ArrayList<>();
		keys.add(new RSAKey.Builder((RSAPublicKey) rsa.getPublic()).keyID("rsa").build());
		keys.add(new ECKey.Builder(Curve.P_256, (ECPublicKey) ec.getPublic()).keyID("ec").build());
		byte[] encoded = ed.getPublic().getEncoded();
		byte[] x = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
		keys.add(new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).keyID("ed").build());
		return keys;
	}

	String uri() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/jwks.json";
	}

	int fetches() {
		return this.fetches.get();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
