package io.micro4j.test.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

import io.micro4j.transport.TlsOptions;
import org.jspecify.annotations.Nullable;

/**
 * A set of certificates for TLS tests, made with the JDK's {@code keytool} in a new temporary directory (EC P-256
 * keys; nothing is committed, nothing expires in the repository):
 * <ul>
 * <li>{@link #ca()}: the CA that clients and servers trust;</li>
 * <li>{@link #server()}: issued by the CA for IP {@code 127.0.0.1} and DNS {@code localhost};</li>
 * <li>{@link #client()}: issued by the CA, for mTLS;</li>
 * <li>{@link #expiredServer()}: issued by the CA for {@code 127.0.0.1}, expired two days ago;</li>
 * <li>{@link #wrongHostServer()}: issued by the CA for DNS {@code wrong-host.invalid} only;</li>
 * <li>{@link #unknownCaServer()} and {@link #unknownCaClient()}: issued by another CA that nobody trusts.</li>
 * </ul>
 * Each {@link Identity} comes as PEM files (certificate chain, PKCS#8 private key) and as a PKCS12 key store with
 * password {@value #PASSWORD}. {@link #shared()} makes one set per JVM, for tests that do not change the files, and
 * deletes it when the JVM exits; a set from {@link #create()} is the caller's to delete.
 */
public final class TestCertificates {

	/** The password of every key store here: {@value}. */
	public static final String PASSWORD = "changeit";

	private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

	private static final int PARALLEL_KEYTOOLS = 3;

	private static final String LOOPBACK = "san=ip:127.0.0.1,dns:localhost";

	private static final String CLIENT = "san=dns:client.test";

	/** keytool starts faster with these; it runs for a moment only. */
	private static final List<String> KEYTOOL_JVM = List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC");

	private static volatile @Nullable TestCertificates shared;

	private final Path directory;

	private final Identity ca;

	private final Identity otherCa;

	private final Identity server;

	private final Identity client;

	private final Identity expiredServer;

	private final Identity wrongHostServer;

	private final Identity unknownCaServer;

	private final Identity unknownCaClient;

	private TestCertificates(Path directory) {
		this.directory = directory;
		ExecutorService keytools = Executors.newFixedThreadPool(PARALLEL_KEYTOOLS);
		try {
			CompletableFuture<Identity> trusted = CompletableFuture.supplyAsync(() -> newCa("ca", "micro4j test CA"),
					keytools);
			CompletableFuture<Identity> other = CompletableFuture
				.supplyAsync(() -> newCa("other-ca", "unknown test CA"), keytools);
			this.ca = trusted.join();
			this.otherCa = other.join();
			CompletableFuture<Identity> server = issueAsync(this.ca, "server", LOOPBACK, null, keytools);
			CompletableFuture<Identity> client = issueAsync(this.ca, "client", CLIENT, null, keytools);
			CompletableFuture<Identity> expired = issueAsync(this.ca, "expired", LOOPBACK, "-3d", keytools);
			CompletableFuture<Identity> wrongHost = issueAsync(this.ca, "wrong-host", "san=dns:wrong-host.invalid",
					null, keytools);
			CompletableFuture<Identity> unknownServer = issueAsync(this.otherCa, "unknown-ca-server", LOOPBACK, null,
					keytools);
			CompletableFuture<Identity> unknownClient = issueAsync(this.otherCa, "unknown-ca-client", CLIENT, null,
					keytools);
			this.server = server.join();
			this.client = client.join();
			this.expiredServer = expired.join();
			this.wrongHostServer = wrongHost.join();
			this.unknownCaServer = unknownServer.join();
			this.unknownCaClient = unknownClient.join();
		}
		finally {
			keytools.shutdownNow();
		}
	}

	private CompletableFuture<Identity> issueAsync(Identity issuer, String name, String subjectAltNames,
			@Nullable String startDate, ExecutorService keytools) {
		return CompletableFuture.supplyAsync(() -> issue(issuer, name, subjectAltNames, startDate), keytools);
	}

	/** A new set of certificates in a new temporary directory. */
	public static TestCertificates create() {
		try {
			return new TestCertificates(Files.createTempDirectory("micro4j-tls-"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** One set for the whole JVM, made on first use; do not change its files. */
	public static TestCertificates shared() {
		TestCertificates certificates = shared;
		if (certificates == null) {
			synchronized (TestCertificates.class) {
				certificates = shared;
				if (certificates == null) {
					certificates = create();
					Path directory = certificates.directory();
					Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(directory), "delete-test-certificates"));
					shared = certificates;
				}
			}
		}
		return certificates;
	}

	private static void delete(Path directory) {
		try (var files = Files.walk(directory)) {
			files.sorted(java.util.Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException ex) {
			// best effort: a temporary directory
		}
	}

	/** The directory holding the files. */
	public Path directory() {
		return this.directory;
	}

	/** The trusted CA (its {@link Identity#certificate()} is what clients and servers trust). */
	public Identity ca() {
		return this.ca;
	}

	/** A server certificate from the CA for {@code 127.0.0.1} and {@code localhost}. */
	public Identity server() {
		return this.server;
	}

	/** A client certificate from the CA. */
	public Identity client() {
		return this.client;
	}

	/** A server certificate from the CA for {@code 127.0.0.1} that expired two days ago. */
	public Identity expiredServer() {
		return this.expiredServer;
	}

	/** A server certificate from the CA for {@code wrong-host.invalid} only. */
	public Identity wrongHostServer() {
		return this.wrongHostServer;
	}

	/** A server certificate for {@code 127.0.0.1} from a CA nobody trusts. */
	public Identity unknownCaServer() {
		return this.unknownCaServer;
	}

	/** A client certificate from a CA nobody trusts. */
	public Identity unknownCaClient() {
		return this.unknownCaClient;
	}

	/** Trust managers that trust the CA alone. */
	public TrustManagerFactory trustManagerFactory() {
		try {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(null, null);
			store.setCertificateEntry("ca", this.ca.chain().get(0));
			TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			factory.init(store);
			return factory;
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The TLS options of a server presenting {@code identity}, trusting the CA for client certificates. */
	public TlsOptions serverTls(Identity identity, TlsOptions.ClientAuth clientAuth) {
		return TlsOptions.builder()
			.keyManagerFactory(identity.keyManagerFactory())
			.trustManagerFactory(trustManagerFactory())
			.clientAuth(clientAuth)
			.build();
	}

	/** The TLS options of a client that trusts the CA and has no certificate. */
	public TlsOptions clientTls() {
		return TlsOptions.builder().trustManagerFactory(trustManagerFactory()).build();
	}

	/** The TLS options of a client that trusts the CA and presents {@code identity} (mTLS). */
	public TlsOptions clientTls(Identity identity) {
		return TlsOptions.builder()
			.keyManagerFactory(identity.keyManagerFactory())
			.trustManagerFactory(trustManagerFactory())
			.build();
	}

	private Identity newCa(String name, String commonName) {
		Path store = this.directory.resolve(name + ".p12");
		keytool("-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
				"-alias", "key", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + commonName,
				"-validity", "30", "-ext", "bc:c");
		return Identity.write(this.directory, name, store);
	}

	private Identity issue(Identity issuer, String name, String subjectAltNames, @Nullable String startDate) {
		Path store = this.directory.resolve(name + "-key.p12");
		Path request = this.directory.resolve(name + ".csr");
		Path issued = this.directory.resolve(name + "-issued.pem");
		keytool("-genkeypair", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD,
				"-alias", "key", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name, "-validity",
				"30");
		keytool("-certreq", "-keystore", store.toString(), "-storepass", PASSWORD, "-alias", "key", "-file",
				request.toString());
		List<String> gencert = new ArrayList<>(List.of("-gencert", "-keystore", issuer.keyStore().toString(),
				"-storepass", PASSWORD, "-alias", "key", "-infile", request.toString(), "-outfile", issued.toString(),
				"-rfc", "-ext", subjectAltNames, "-ext", "eku=serverAuth,clientAuth"));
		if (startDate != null) {
			gencert.addAll(List.of("-startdate", startDate, "-validity", "1"));
		}
		else {
			gencert.addAll(List.of("-validity", "30"));
		}
		keytool(gencert.toArray(String[]::new));
		try {
			PrivateKey key = (PrivateKey) load(store).getKey("key", PASSWORD.toCharArray());
			List<X509Certificate> chain = new ArrayList<>();
			try (InputStream in = Files.newInputStream(issued)) {
				chain.add((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
			}
			chain.addAll(issuer.chain());
			return Identity.write(this.directory, name, key, chain);
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException("cannot read the certificate made for " + name, ex);
		}
	}

	private void keytool(String... args) {
		Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
		List<String> command = new ArrayList<>();
		command.add(keytool.toString());
		command.addAll(KEYTOOL_JVM);
		command.addAll(List.of(args));
		Path log = this.directory.resolve("keytool-" + Thread.currentThread().getId() + ".log");
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
			if (!process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("keytool did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s: "
						+ command);
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException("keytool failed (" + process.exitValue() + "): " + command + "\n"
						+ Files.readString(log));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot run " + keytool + " (the JDK's keytool)", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while running keytool", ex);
		}
	}

	private static KeyStore load(Path path) throws GeneralSecurityException, IOException {
		KeyStore store = KeyStore.getInstance("PKCS12");
		try (InputStream in = Files.newInputStream(path)) {
			store.load(in, PASSWORD.toCharArray());
		}
		return store;
	}

	/**
	 * A private key with its certificate chain (leaf first, then the issuing CA).
	 * @param certificate PEM file of the chain
	 * @param privateKey PEM file of the private key (PKCS#8, unencrypted)
	 * @param keyStore PKCS12 file holding both under alias {@code key}, password {@value TestCertificates#PASSWORD}
	 * @param chain the certificates, leaf first
	 */
	public record Identity(Path certificate, Path privateKey, Path keyStore, List<X509Certificate> chain) {

		public Identity {
			chain = List.copyOf(chain);
		}

		static Identity write(Path directory, String name, Path selfSigned) {
			try {
				KeyStore store = load(selfSigned);
				PrivateKey key = (PrivateKey) store.getKey("key", PASSWORD.toCharArray());
				return write(directory, name, key, List.of((X509Certificate) store.getCertificate("key")));
			}
			catch (GeneralSecurityException | IOException ex) {
				throw new IllegalStateException("cannot read the key store of " + name, ex);
			}
		}

		static Identity write(Path directory, String name, PrivateKey key, List<X509Certificate> chain)
				throws GeneralSecurityException, IOException {
			Path certificate = directory.resolve(name + ".crt");
			Path privateKey = directory.resolve(name + ".key");
			Path keyStore = directory.resolve(name + ".p12");
			StringBuilder pem = new StringBuilder();
			for (X509Certificate cert : chain) {
				pem.append(pem("CERTIFICATE", cert.getEncoded()));
			}
			Files.writeString(certificate, pem, StandardCharsets.US_ASCII);
			Files.writeString(privateKey, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(null, null);
			store.setKeyEntry("key", key, PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
			try (OutputStream out = Files.newOutputStream(keyStore)) {
				store.store(out, PASSWORD.toCharArray());
			}
			return new Identity(certificate, privateKey, keyStore, chain);
		}

		private static String pem(String type, byte[] der) {
			return "-----BEGIN " + type + "-----\n"
					+ Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der) + "\n-----END " + type
					+ "-----\n";
		}

		/** Key managers presenting this identity. */
		public KeyManagerFactory keyManagerFactory() {
			try {
				KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
				factory.init(load(this.keyStore), PASSWORD.toCharArray());
				return factory;
			}
			catch (GeneralSecurityException | IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		/**
		 * Copies this identity's PEM files over {@code certificate} and {@code privateKey} (replacing them in one
		 * move each, as a deployment tool would), for reloading tests.
		 */
		public void copyTo(Path certificate, Path privateKey) {
			try {
				replace(this.certificate, certificate);
				replace(this.privateKey, privateKey);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		private static void replace(Path source, Path target) throws IOException {
			Path temporary = target.resolveSibling(target.getFileName() + ".new");
			Files.copy(source, temporary, StandardCopyOption.REPLACE_EXISTING);
			Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}

	}

}
