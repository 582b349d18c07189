package org.voxca.ca.autosign;

/** A token just created: its secret, shown once and never stored, and what it allows. */
public record NewToken(String secret, TokenInfo token) {}
