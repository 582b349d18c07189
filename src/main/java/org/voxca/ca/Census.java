package org.voxca.ca;

import java.time.Instant;

/**
 * How many certificates the CA holds, by state, and how soon they run out: what the metrics
 * publish, counted in one walk of the in-memory records (no file is read).
 *
 * @param earliestExpiry the soonest notAfter of an unrevoked certificate, null when there is none
 * @param expiringSoon unrevoked certificates whose notAfter falls between now and the window's end
 */
public record Census(
    int pending, int signed, int revoked, int expired, int expiringSoon, Instant earliestExpiry) {}
