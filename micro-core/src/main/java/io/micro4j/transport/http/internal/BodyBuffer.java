package io.micro4j.transport.http.internal;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;

/**
 * Collects a message body into one array, sized up front when the length is known.
 */
final class BodyBuffer {

	private static final byte[] EMPTY = new byte[0];

	private byte[] bytes;

	private int size;

	BodyBuffer(long expectedLength) {
		this.bytes = (expectedLength > 0) ? new byte[(int) expectedLength] : EMPTY;
	}

	int size() {
		return this.size;
	}

	/** Copies the readable bytes of {@code buf} (leaving its reader index alone). */
	void append(ByteBuf buf) {
		int n = buf.readableBytes();
		if (n == 0) {
			return;
		}
		int needed = this.size + n;
		if (needed > this.bytes.length) {
			int grown = Math.max(needed, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(256L, this.bytes.length * 2L)));
			this.bytes = Arrays.copyOf(this.bytes, grown);
		}
		buf.getBytes(buf.readerIndex(), this.bytes, this.size, n);
		this.size = needed;
	}

	/** The collected bytes; the buffer must not be used afterwards. */
	byte[] toArray() {
		return (this.size == this.bytes.length) ? this.bytes : Arrays.copyOf(this.bytes, this.size);
	}

}
