package org.voxca.cli;

/** Exit codes of {@code puppetserver ca}: 0 success, 1 error, 24 nothing to do / invalid state. */
final class Outcome {
  static final int OK = 0;
  static final int ERROR = 1;
  static final int INVALID = 24;

  private int worst = OK;

  void record(int code) {
    if (code == ERROR || worst == ERROR) {
      worst = ERROR;
    } else if (code == INVALID) {
      worst = INVALID;
    }
  }

  int code() {
    return worst;
  }
}
