package org.voxca.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request path decoded once and normalised before anything looks at it: {@code ;} parameters are
 * dropped, each segment is percent-decoded as UTF-8, empty segments ({@code //}) are compacted, and
 * a {@code .} or {@code ..} segment — or a segment that decodes to one holding {@code /} or NUL —
 * is refused. Rules and routes both see only {@link #decoded}.
 */
public final class RequestPath {
  private final String decoded;
  private final List<String> segments;
  private final boolean trailingSlash;

  private RequestPath(String decoded, List<String> segments, boolean trailingSlash) {
    this.decoded = decoded;
    this.segments = segments;
    this.trailingSlash = trailingSlash;
  }

  /** Thrown for a path that must be answered 400. */
  public static final class BadPath extends Exception {
    private static final long serialVersionUID = 1L;

    BadPath(String message) {
      super(message, null, false, false);
    }
  }

  public static RequestPath parse(String raw) throws BadPath {
    if (raw == null || raw.isEmpty()) {
      raw = "/";
    }
    List<String> segs = new ArrayList<>();
    StringBuilder shown = new StringBuilder();
    boolean bad = false;
    for (String part : raw.split("/", -1)) {
      int semi = part.indexOf(';');
      String seg = decode(semi >= 0 ? part.substring(0, semi) : part);
      if (seg.isEmpty()) {
        continue;
      }
      shown.append('/').append(seg);
      if (seg.equals(".") || seg.equals("..")) {
        bad = true;
      }
      if (seg.indexOf('/') >= 0 || seg.indexOf('\0') >= 0) {
        throw new BadPath("Invalid path segment in: " + printable(shown.toString()));
      }
      segs.add(seg);
    }
    String decoded = shown.length() == 0 ? "/" : shown.toString();
    if (bad) {
      throw new BadPath("Invalid relative path (.. or .) in: " + printable(decoded));
    }
    boolean trailing = raw.endsWith("/") && !segs.isEmpty();
    return new RequestPath(trailing ? decoded + "/" : decoded, List.copyOf(segs), trailing);
  }

  private static String decode(String s) throws BadPath {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new BadPath("Invalid percent-encoding in path");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new BadPath("Invalid percent-encoding in path");
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(out.toByteArray()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new BadPath("Invalid UTF-8 in path");
    }
  }

  private static String printable(String s) {
    return s.replaceAll("\\p{Cntrl}", "?");
  }

  /** The normalised, decoded path, with a trailing slash kept when the request had one. */
  public String decoded() {
    return decoded;
  }

  public List<String> segments() {
    return segments;
  }

  public boolean trailingSlash() {
    return trailingSlash;
  }
}
