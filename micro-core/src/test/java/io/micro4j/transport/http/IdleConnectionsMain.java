package io.micro4j.transport.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The attacker of {@link FdPressureTests}, run as a child process: opens {@code count} TCP connections to
 * {@code host:port}, sends nothing and never reads, holds them, prints {@code CONNECTED <n> FAILED <m>} when every
 * connect finished (or {@code seconds} passed), then runs until its standard input closes.
 */
public final class IdleConnectionsMain {

	private IdleConnectionsMain() {
	}

	public static void main(String[] args) throws IOException {
		InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
		int count = Integer.parseInt(args[2]);
		long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.parseLong(args[3]));
		List<SocketChannel> held = new ArrayList<>(count);
		int connected = 0;
		int failed = 0;
		int pending = 0;
		try (Selector selector = Selector.open()) {
			int started = 0;
			while ((started < count || pending > 0) && System.nanoTime() < giveUp) {
				while (started < count && pending < 1000) {
					started++;
					try {
						SocketChannel channel = SocketChannel.open();
						channel.configureBlocking(false);
						held.add(channel);
						if (channel.connect(target)) {
							connected++;
						}
						else {
							channel.register(selector, SelectionKey.OP_CONNECT);
							pending++;
						}
					}
					catch (IOException ex) {
						failed++;
					}
				}
				selector.select(100);
				for (SelectionKey key : selector.selectedKeys()) {
					key.cancel();
					pending--;
					try {
						if (((SocketChannel) key.channel()).finishConnect()) {
							connected++;
						}
					}
					catch (IOException ex) {
						failed++;
					}
				}
				selector.selectedKeys().clear();
			}
			failed += (count - connected - failed);
		}
		System.out.println("CONNECTED " + connected + " FAILED " + failed);
		System.out.flush();
		while (System.in.read() != -1) {
			// hold the connections until the test closes our input
		}
		for (SocketChannel channel : held) {
			channel.close();
		}
	}

}
