package org.voxca.ca;

/** Why a CA operation was refused; {@code http.HttpErrors} maps each to a status code. */
public enum Reason {
  /** A request body or name that cannot be understood. */
  BAD_REQUEST,
  /** A CSR that fails a naming, duplicate or policy rule (Puppet's validation kinds). */
  INVALID_CSR,
  NOT_FOUND,
  CONFLICT,
  FORBIDDEN,
  /** A lock could not be taken in time, or the store is unavailable. */
  UNAVAILABLE,
  /** The CA certificate cannot sign now: expired, or not valid yet. */
  CA_UNUSABLE
}
