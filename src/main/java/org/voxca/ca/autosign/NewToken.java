package org.voxca.ca.autosign;

import org.voxca.store.EnrolmentToken;

/** A token just created: its secret, shown once and never stored, and the record kept. */
public record NewToken(String secret, EnrolmentToken token) {}
