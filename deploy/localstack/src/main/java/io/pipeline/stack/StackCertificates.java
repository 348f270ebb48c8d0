package io.pipeline.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The secure stack's certificates, made with {@code openssl} in one folder: a local CA ({@code
 * ca.pem}, its key {@code ca.key}) and a server certificate for {@code localhost} and {@code
 * 127.0.0.1} signed by it ({@code server.pem}, key {@code server.key}, PKCS#8 unencrypted, and
 * {@code server-chain.pem}: key + certificate + CA in one file, the shape Kafka's PEM key store
 * takes). Made once and reused; {@link #issue} signs further ones (another host name, already
 * expired) for tests and the doctor's diagnoses.
 *
 * <p>Clients trust {@link #ca()} through {@code PIPELINE_TLS_CA_FILE}; the CA key never leaves the
 * folder. The folder and the keys are readable by their owner only; {@link #shareWith} lets a
 * server that runs as another OS user (PostgreSQL) read a copy of the server key.
 */
public final class StackCertificates {
  private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(60);
  static final Path OPENSSL = Path.of("/usr/bin/openssl");

  private final Path dir;

  private StackCertificates(Path dir) {
    this.dir = dir;
  }

  /** The certificates in {@code dir}, made there first when missing. */
  public static StackCertificates ensure(Path dir) {
    Packages.ensure(OPENSSL, "openssl");
    StackCertificates c = new StackCertificates(dir.toAbsolutePath());
    try {
      Files.createDirectories(c.dir);
      Files.setPosixFilePermissions(c.dir, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new StackException("cannot create " + dir + ": " + e.getMessage(), e);
    }
    if (!Files.exists(c.ca()) || !Files.exists(c.caKey())) {
      c.openssl(
          "req",
          "-x509",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-sha256",
          "-days",
          "825",
          "-subj",
          "/CN=pipeline local CA",
          "-addext",
          "basicConstraints=critical,CA:TRUE",
          "-addext",
          "keyUsage=critical,keyCertSign,cRLSign",
          "-keyout",
          c.caKey().toString(),
          "-out",
          c.ca().toString());
    }
    if (!Files.exists(c.serverChain())) {
      c.issue("server", List.of("localhost"), List.of("127.0.0.1", "::1"), 825);
    }
    return c;
  }

  public Path dir() {
    return dir;
  }

  /** The CA certificate (PEM): what {@code PIPELINE_TLS_CA_FILE} names. */
  public Path ca() {
    return dir.resolve("ca.pem");
  }

  Path caKey() {
    return dir.resolve("ca.key");
  }

  /** The server certificate (PEM) for localhost / 127.0.0.1 / ::1. */
  public Path serverCert() {
    return dir.resolve("server.pem");
  }

  /** Its private key, PKCS#8 PEM, unencrypted. */
  public Path serverKey() {
    return dir.resolve("server.key");
  }

  /** Key, certificate and CA in one PEM file (Kafka's {@code ssl.keystore.type=PEM}). */
  public Path serverChain() {
    return dir.resolve("server-chain.pem");
  }

  /**
   * Signs a certificate {@code name}.pem (key {@code name}.key, chain {@code name}-chain.pem) for
   * the given DNS names and IP addresses, valid {@code days} from now; {@code days} &lt;= 0 makes
   * one whose validity ends the second it is signed (an expired certificate, for the doctor's
   * tests).
   */
  public Path issue(String name, List<String> dnsNames, List<String> ips, int days) {
    Path key = dir.resolve(name + ".key");
    Path csr = dir.resolve(name + ".csr");
    Path cert = dir.resolve(name + ".pem");
    Path ext = dir.resolve(name + ".ext");
    List<String> san = new ArrayList<>();
    dnsNames.forEach(d -> san.add("DNS:" + d));
    ips.forEach(i -> san.add("IP:" + i));
    try {
      Files.writeString(
          ext,
          "basicConstraints=CA:FALSE\n"
              + "keyUsage=critical,digitalSignature,keyEncipherment\n"
              + "extendedKeyUsage=serverAuth,clientAuth\n"
              + (san.isEmpty() ? "" : "subjectAltName=" + String.join(",", san) + "\n"));
      openssl(
          "req",
          "-newkey",
          "rsa:2048",
          "-nodes",
          "-sha256",
          "-subj",
          "/CN=" + (dnsNames.isEmpty() ? name : dnsNames.get(0)),
          "-keyout",
          key.toString(),
          "-out",
          csr.toString());
      List<String> sign =
          new ArrayList<>(
              List.of(
                  "x509",
                  "-req",
                  "-in",
                  csr.toString(),
                  "-CA",
                  ca().toString(),
                  "-CAkey",
                  caKey().toString(),
                  "-CAcreateserial",
                  "-sha256",
                  "-extfile",
                  ext.toString(),
                  "-out",
                  cert.toString()));
      if (days > 0) {
        sign.addAll(List.of("-days", Integer.toString(days)));
      } else {
        sign.addAll(List.of("-days", "0"));
      }
      openssl(sign.toArray(String[]::new));
      Files.writeString(
          dir.resolve(name + "-chain.pem"),
          Files.readString(key) + Files.readString(cert) + Files.readString(ca()));
      for (Path p : List.of(key, dir.resolve(name + "-chain.pem"))) {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
      }
      Files.deleteIfExists(csr);
      Files.deleteIfExists(ext);
    } catch (IOException e) {
      throw new StackException("cannot write certificate " + cert + ": " + e.getMessage(), e);
    }
    return cert;
  }

  /**
   * Copies the server certificate and key into {@code target} (created) owned by the OS user {@code
   * user} with the key at mode 0600, for a server that runs as that user and refuses a key others
   * can read (PostgreSQL). Returns the copied {@code [cert, key]}.
   */
  public List<Path> shareWith(Path target, String user) {
    try {
      Files.createDirectories(target);
      Path cert = target.resolve("server.pem");
      Path key = target.resolve("server.key");
      Path ca = target.resolve("ca.pem");
      Files.copy(serverCert(), cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.copy(serverKey(), key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.copy(ca(), ca, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      if (OsProcess.isRoot()) {
        OsProcess.check(
            List.of("chown", "-R", user, target.toString()), null, null, OPENSSL_TIMEOUT);
      }
      return List.of(cert, key, ca);
    } catch (IOException e) {
      throw new StackException("cannot copy the certificates to " + target + ": " + e, e);
    }
  }

  private void openssl(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(OPENSSL.toString());
    cmd.addAll(List.of(args));
    OsProcess.check(cmd, null, dir, OPENSSL_TIMEOUT);
  }
}
