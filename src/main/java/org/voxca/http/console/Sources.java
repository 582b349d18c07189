package org.voxca.http.console;

import java.nio.file.Path;
import java.util.function.LongSupplier;
import org.voxca.http.Readiness;

/**
 * What the console's pages read besides the CA: the audit log (null when off), readiness, and the
 * count of signing requests shed since the start.
 */
public record Sources(Path auditLog, Readiness readiness, LongSupplier shed) {}
