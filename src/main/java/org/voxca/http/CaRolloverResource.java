package org.voxca.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.voxca.ca.CertificateAuthority;
import org.voxca.ca.RolloverPlan;
import org.voxca.ca.RolloverStatus;

/**
 * {@code /voxca/v1/ca_rollover} (voxca's own, admin only): GET says where a CA key rollover stands;
 * POST {@code {"action": "prepare", "ca_name": ..., "key_type": "rsa"|"ec", "key_length": 4096,
 * "curve": "secp384r1"}}, {@code {"action": "activate"}} or {@code {"action": "abort"}} moves it,
 * answering the new status. A stage that does not allow the action is a 409, a bad body a 400.
 */
final class CaRolloverResource {
  private static final Set<String> PREPARE_FIELDS =
      Set.of("action", "ca_name", "key_type", "key_length", "curve", "root", "root_name");

  private final CertificateAuthority ca;

  CaRolloverResource(CertificateAuthority ca) {
    this.ca = ca;
  }

  void get(Exchange ex, String ignored) {
    ex.text(200, Exchange.JSON, Json.write(json(ca.rolloverStatus())));
  }

  void post(Exchange ex, String ignored) {
    JsonNode body = Json.parse(ex.body());
    String action =
        body != null && body.path("action").isTextual() ? body.get("action").asText() : null;
    if (action == null) {
      bad(ex, "Expected {\"action\": \"prepare\" | \"activate\" | \"abort\"}");
      return;
    }
    RolloverStatus status;
    switch (action) {
      case "prepare" -> {
        RolloverPlan plan = plan(ex, body);
        if (plan == null) {
          return;
        }
        status = ca.prepareRollover(plan);
      }
      case "activate" -> status = ca.activateRollover();
      case "abort" -> status = ca.abortRollover();
      case "finish" -> {
        ex.text(
            409,
            Exchange.TEXT_UTF8,
            "A rollover is finished with every server stopped: run voxca ca rollover finish");
        return;
      }
      default -> {
        bad(ex, "Unknown action: expected prepare, activate, abort or finish");
        return;
      }
    }
    ex.text(200, Exchange.JSON, Json.write(json(status)));
  }

  private static RolloverPlan plan(Exchange ex, JsonNode body) {
    for (var it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!PREPARE_FIELDS.contains(f)) {
        bad(
            ex,
            "Unknown field: prepare takes ca_name, key_type, key_length, curve, root and"
                + " root_name");
        return null;
      }
    }
    JsonNode name = body.get("ca_name");
    if (name != null && !name.isTextual()) {
      bad(ex, "ca_name must be a string");
      return null;
    }
    String type = body.path("key_type").asText("");
    JsonNode length = body.get("key_length");
    JsonNode curve = body.get("curve");
    if (length != null && (!length.isIntegralNumber() || !length.canConvertToInt())) {
      bad(ex, "key_length must be a number of bits");
      return null;
    }
    if (curve != null && !curve.isTextual()) {
      bad(ex, "curve must be a string");
      return null;
    }
    JsonNode root = body.get("root");
    JsonNode rootName = body.get("root_name");
    if (root != null && !root.isBoolean()) {
      bad(ex, "root must be true or false");
      return null;
    }
    if (rootName != null && !rootName.isTextual()) {
      bad(ex, "root_name must be a string");
      return null;
    }
    RolloverPlan plan = keyPlan(ex, name == null ? null : name.asText(), type, length, curve);
    return plan == null
        ? null
        : plan.withRoot(
            root != null && root.asBoolean(), rootName == null ? null : rootName.asText());
  }

  private static RolloverPlan keyPlan(
      Exchange ex, String caName, String type, JsonNode length, JsonNode curve) {
    return switch (type) {
      case "" -> {
        if (length != null || curve != null) {
          bad(ex, "key_length and curve need a key_type (rsa or ec)");
          yield null;
        }
        yield new RolloverPlan(caName, RolloverPlan.CONFIGURED_KEY, null);
      }
      case "rsa" -> {
        if (curve != null) {
          bad(ex, "An RSA key has no curve");
          yield null;
        }
        yield new RolloverPlan(caName, length == null ? 4096 : length.asInt(), null);
      }
      case "ec" -> {
        if (length != null) {
          bad(ex, "An EC key's size comes from its curve: give curve, not key_length");
          yield null;
        }
        yield new RolloverPlan(caName, 0, curve == null ? "secp384r1" : curve.asText());
      }
      default -> {
        bad(ex, "key_type must be rsa or ec");
        yield null;
      }
    };
  }

  private static void bad(Exchange ex, String message) {
    ex.text(400, Exchange.TEXT_UTF8, message);
  }

  static Map<String, Object> json(RolloverStatus s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("stage", s.stage());
    out.put("since", s.since() == null ? null : PuppetDates.format(s.since()));
    out.put("current", generation(s.current()));
    out.put("next", s.next() == null ? null : generation(s.next()));
    out.put("next_root", s.nextRoot() == null ? null : generation(s.nextRoot()));
    out.put("published", s.published());
    out.put("signing", s.signing());
    if (s.fetches() != null) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("bundle", s.fetches().bundle());
      f.put("crl", s.fetches().crl());
      f.put("since", PuppetDates.format(s.fetches().since()));
      out.put("agents_fetched", f);
    } else {
      out.put("agents_fetched", null);
    }
    out.put("notes", s.notes());
    return out;
  }

  private static Map<String, Object> generation(RolloverStatus.Generation g) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("subject", g.subject());
    out.put("fingerprint", g.fingerprint());
    out.put("key", g.key());
    out.put("not_after", PuppetDates.format(g.notAfter()));
    return out;
  }
}
