package org.voxca.http.console;

/** A console refusal: its status, a title and a message for the page. */
final class Refused extends Exception {
  private static final long serialVersionUID = 1L;
  final int status;
  final String title;

  Refused(int status, String title, String message) {
    super(message, null, false, false);
    this.status = status;
    this.title = title;
  }
}
