package org.voxca.http.console;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.jetty.util.Fields;

/** Reading the console's query and form fields: first values, required ones, page numbers. */
final class Forms {
  private Forms() {}

  /** The first value of a field, or null. */
  static String first(Fields fields, String name) {
    Fields.Field f = fields == null ? null : fields.get(name);
    return f == null ? null : f.getValue();
  }

  /** Parameters as a map of first values, for filters. */
  static Map<String, String> values(Fields q, String... names) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String n : names) {
      String v = Forms.first(q, n);
      out.put(n, v == null ? "" : v.trim());
    }
    return out;
  }

  static String required(Fields form, String name) throws Refused {
    String v = Forms.first(form, name);
    if (v == null || v.isEmpty()) {
      throw new Refused(400, "Bad form", "The form has no " + name + ".");
    }
    return v;
  }

  static int pageNumber(String s) {
    try {
      return s == null || s.isEmpty() ? 0 : Math.max(0, Math.min(100_000, Integer.parseInt(s)));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
