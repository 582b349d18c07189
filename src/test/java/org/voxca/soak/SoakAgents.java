package org.voxca.soak;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.voxca.pki.Certificates;
import org.voxca.testing.Ocsp;
import org.voxca.testing.RawTls;
import org.voxca.testing.TestClient;
import org.voxca.testing.TestPki;

/**
 * Well-behaved clients, every request on a short connection of its own from 127.0.0.1: agents that
 * bootstrap (submit, autosigned, download), renew, are revoked by the admin, look at the CRL with
 * If-Modified-Since (304s) and at their OCSP status, and an admin who lists; plus a client that
 * only opens short clean connections (status checks), as fast as it can.
 */
final class SoakAgents {
  private static final String CA = "/puppet-ca/v1/";
  private final SoakServer server;
  private final Tally tally;

  SoakAgents(SoakServer server, Tally tally) {
    this.server = server;
    this.tally = tally;
  }

  /** One agent's life after another until {@code stop}: worker {@code w}. */
  void agents(int w, String round, AtomicBoolean stop) {
    String lastModified = null;
    for (int n = 0; !stop.get(); n++) {
      String name = "soak-" + round + "-w" + w + "-" + n + ".test";
      long sent = System.nanoTime();
      RawTls.Reply put =
          ask(
              server.anonymous,
              "PUT",
              CA + "certificate_request/" + name,
              TestPki.csr(name).pem().getBytes(StandardCharsets.US_ASCII),
              Set.of(200),
              "Content-Type",
              "text/plain");
      if (put == null || put.status() != 200) {
        continue;
      }
      tally.writeSucceeded(sent);
      RawTls.Reply got =
          ask(server.anonymous, "GET", CA + "certificate/" + name, null, Set.of(200));
      if (got == null || got.status() != 200) {
        continue;
      }
      tally.acknowledged.add(name);
      tally.issued.increment();
      X509Certificate cert = Certificates.readCertificates(got.text()).get(0);
      ocsp(cert.getSerialNumber());
      RawTls.Reply crl =
          ask(
              server.anonymous,
              "GET",
              CA + "certificate_revocation_list/ca",
              null,
              Set.of(200, 304),
              lastModified == null
                  ? new String[0]
                  : new String[] {"If-Modified-Since", lastModified});
      if (crl != null && crl.header("Last-Modified") != null) {
        lastModified = crl.header("Last-Modified");
      }
      if (n % 4 == 1) {
        SSLContext agent = TestClient.sslContext(server.trust, cert, TestPki.ecKey().getPrivate());
        RawTls.Reply renewed =
            ask(agent, "POST", CA + "certificate_renewal", new byte[0], Set.of(200));
        if (renewed != null && renewed.status() == 200) {
          tally.issued.increment();
        }
      }
      if (n % 5 == 2) {
        ask(
            server.admin,
            "PUT",
            CA + "certificate_status/" + name,
            "{\"desired_state\":\"revoked\"}".getBytes(StandardCharsets.US_ASCII),
            Set.of(204),
            "Content-Type",
            "application/json");
      }
      if (n % 10 == 3) {
        ask(server.admin, "GET", CA + "certificate_statuses/any", null, Set.of(200));
      }
    }
  }

  /** Short clean connections, one request each, until {@code stop}. */
  void shortConnections(AtomicBoolean stop) {
    while (!stop.get()) {
      ask(server.anonymous, "GET", "/status/v1/simple", null, Set.of(200));
    }
  }

  private void ocsp(BigInteger serial) {
    try {
      byte[] req = Ocsp.request(server.trust.get(0), List.of(serial), null);
      RawTls.Reply r =
          ask(
              server.anonymous,
              "POST",
              CA + "ocsp",
              req,
              Set.of(200),
              "Content-Type",
              "application/ocsp-request");
      if (r != null && r.status() == 200) {
        int status = new OCSPResp(r.body()).getStatus();
        if (status != OCSPResp.SUCCESSFUL && !(tally.inOutage() && status == OCSPResp.TRY_LATER)) {
          tally.failed("OCSP status " + status);
        }
      }
    } catch (Exception e) {
      tally.failed("OCSP: " + e);
    }
  }

  /**
   * One request on a new connection; null when it failed at the connection. An answer outside
   * {@code expected} is a failure, except a 503 during a planned outage.
   */
  private RawTls.Reply ask(
      SSLContext tls, String method, String path, byte[] body, Set<Integer> expected, String... h) {
    tally.requests.increment();
    tally.connections.increment();
    try (RawTls t = RawTls.open(server.port, tls, null)) {
      RawTls.Reply r = t.exchange(method, path, body, h);
      if (!expected.contains(r.status())) {
        if (r.status() == 503 && tally.inOutage()) {
          tally.outageAnswers.increment();
        } else {
          tally.failed(method + " " + path + ": " + r.status() + " " + r.text().trim());
        }
      }
      return r;
    } catch (IOException | RuntimeException e) {
      tally.failed(method + " " + path + ": " + e);
      return null;
    }
  }
}
