package org.voxca.http.console;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.voxca.http.Readiness;

/**
 * What the console's pages read besides the CA: the audit log (null when off), readiness, the count
 * of signing requests shed since the start, and each replica's last heartbeat (none for a store of
 * one process).
 */
public record Sources(
    Path auditLog,
    Readiness readiness,
    LongSupplier shed,
    Supplier<Map<String, Instant>> replicas) {}
