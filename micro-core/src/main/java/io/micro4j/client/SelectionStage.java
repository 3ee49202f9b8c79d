package io.micro4j.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import io.micro4j.errors.FailureClassifier;
import io.micro4j.registry.Node;
import io.micro4j.selector.Next;
import io.micro4j.selector.Selector;

/**
 * The selection stage: chooses the node of each attempt (one selection per call, so retries go to other nodes) and
 * reports the attempt's outcome to the selector, which counts in-flight calls and ejects outliers.
 */
final class SelectionStage implements CallWrapper {

	private final Selector selector;

	SelectionStage(Selector selector) {
		this.selector = selector;
	}

	@Override
	public CallFunction wrap(CallFunction next) {
		return context -> {
			Next selection = context.selection();
			if (selection == null) {
				selection = select(context);
				context.selection(selection);
			}
			Node node = selection.next();
			context.node(node);
			CompletableFuture<Response> future = next.callSafely(context);
			if (context.options().addresses().isEmpty()) {
				String service = context.service();
				future.whenComplete((response, error) -> {
					io.micro4j.transport.TransportStream stream = (error == null) ? context.openedStream() : null;
					if (stream != null) {
						// an open stream is in flight on its node until it ends
						stream.onEnd((end) -> this.selector.mark(service, node,
								(end != null) ? FailureClassifier.unwrap(end) : null));
					}
					else {
						this.selector.mark(service, node, (error != null) ? FailureClassifier.unwrap(error) : null);
					}
				});
			}
			return future;
		};
	}

	private Next select(ClientRequestContext context) {
		List<String> addresses = context.options().addresses();
		if (addresses.isEmpty()) {
			return this.selector.select(context.service(), context.options().selectOptions());
		}
		List<Node> nodes = new ArrayList<>(addresses.size());
		for (String address : addresses) {
			nodes.add(new Node(address, address, Map.of("protocol", "mucp")));
		}
		AtomicInteger index = new AtomicInteger();
		return new Next() {

			@Override
			public Node next() {
				return nodes.get(Math.floorMod(index.getAndIncrement(), nodes.size()));
			}

			@Override
			public boolean hasUntried() {
				return index.get() < nodes.size();
			}

		};
	}

}
