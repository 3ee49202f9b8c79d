package io.micro4j.transport;

/**
 * The TLS handshake with a node failed: its certificate has expired, does not name the dialled address, is not
 * issued by a CA this client trusts, the node requires a client certificate this client does not have, or the node
 * does not speak TLS. The message says which. The request was not sent, so it may be retried on another node, and
 * the selector ejects the node for a while, as for any {@link ConnectFailedException}.
 */
public class TlsHandshakeException extends ConnectFailedException {

	private static final long serialVersionUID = 1L;

	public TlsHandshakeException(String address, String detail, Throwable cause) {
		super(address, "TLS handshake failed: " + detail, cause);
	}

}
