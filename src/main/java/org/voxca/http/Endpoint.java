package org.voxca.http;

/** One endpoint's logic; {@code param} is the decoded path parameter, or null. */
@FunctionalInterface
interface Endpoint {
  void handle(Exchange ex, String param) throws Exception;
}
