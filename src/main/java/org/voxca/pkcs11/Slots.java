package org.voxca.pkcs11;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the slot of the token with a given label. The JDK's SunPKCS11 provider selects a token only
 * by slot number, which a token may change (SoftHSM2 numbers slots at random, HSMs by order), so
 * the label is looked up through the module itself: the JDK's PKCS#11 wrapper, which voxca's jar
 * opens to itself ({@code Add-Exports: jdk.crypto.cryptoki/sun.security.pkcs11.wrapper}).
 */
final class Slots {
  private static final String WRAPPER = "sun.security.pkcs11.wrapper.";
  private static final long CKF_OS_LOCKING_OK = 2L;

  private Slots() {}

  /** The slot holding the token labelled {@code label}; a {@link TokenException} when none. */
  static long find(Path library, String label) {
    if (!Files.isRegularFile(library)) {
      throw new TokenException("the PKCS#11 library " + library + " does not exist");
    }
    List<String> seen = new ArrayList<>();
    try {
      Class<?> pkcs11 = Class.forName(WRAPPER + "PKCS11");
      Class<?> initArgs = Class.forName(WRAPPER + "CK_C_INITIALIZE_ARGS");
      Object args = initArgs.getConstructor().newInstance();
      initArgs.getField("flags").set(args, CKF_OS_LOCKING_OK);
      Method getInstance =
          pkcs11.getMethod("getInstance", String.class, String.class, initArgs, boolean.class);
      Object module =
          getInstance.invoke(null, library.toString(), "C_GetFunctionList", args, false);
      long[] slots = (long[]) pkcs11.getMethod("C_GetSlotList", boolean.class).invoke(module, true);
      Method tokenInfo = pkcs11.getMethod("C_GetTokenInfo", long.class);
      for (long slot : slots) {
        Object info = tokenInfo.invoke(module, slot);
        String l = new String((char[]) info.getClass().getField("label").get(info)).strip();
        if (l.equals(label)) {
          return slot;
        }
        seen.add("'" + l + "'");
      }
    } catch (IllegalAccessException e) {
      throw new TokenException(
          "cannot list the PKCS#11 tokens: start the JVM with --add-exports"
              + " jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED (voxca's own"
              + " launcher does)");
    } catch (InvocationTargetException e) {
      throw new TokenException(
          "the PKCS#11 library " + library + " failed: " + e.getCause().getMessage());
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new TokenException("cannot list the tokens of " + library + ": " + e);
    }
    throw new TokenException(
        "no PKCS#11 token labelled '"
            + label
            + "' in "
            + library
            + (seen.isEmpty()
                ? " (it has no initialised token)"
                : " (it has " + String.join(", ", seen) + ")"));
  }
}
