/**
 * The web dashboard: a page, its script and style, and the JSON and server-sent-event endpoints behind them (the
 * registry's services, nodes and endpoints, topics and subscribers, calls and publishes through the micro client,
 * live node changes from one shared registry watch). Served by Spring MVC under {@code micro.dashboard.path}.
 */
@NullMarked
package io.micro4j.spring.dashboard;

import org.jspecify.annotations.NullMarked;
