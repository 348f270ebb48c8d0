package io.pipeline.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackCertificatesTest {
  @TempDir Path dir;

  private static X509Certificate read(Path p) throws Exception {
    try (InputStream in = Files.newInputStream(p)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  @Test
  void serverCertificateIsSignedByTheCaForLocalhostAndLoopback() throws Exception {
    StackCertificates c = StackCertificates.ensure(dir.resolve("tls"));
    X509Certificate ca = read(c.ca());
    X509Certificate server = read(c.serverCert());
    server.verify(ca.getPublicKey());
    server.checkValidity();
    assertTrue(ca.getBasicConstraints() >= 0, "the CA is a CA");
    assertEquals(-1, server.getBasicConstraints(), "the server certificate is not a CA");
    List<String> names =
        server.getSubjectAlternativeNames().stream()
            .map(l -> l.get(1).toString())
            .collect(Collectors.toList());
    assertTrue(names.contains("localhost"), names.toString());
    assertTrue(names.contains("127.0.0.1"), names.toString());
    String chain = Files.readString(c.serverChain());
    assertTrue(chain.startsWith("-----BEGIN PRIVATE KEY-----"), "PKCS#8 key first");
    assertEquals(3, chain.split("-----BEGIN ").length - 1, "key, certificate, CA");
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(c.serverKey())));
    assertEquals(
        "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(c.dir())));
  }

  @Test
  void ensureReusesWhatExists() throws Exception {
    StackCertificates first = StackCertificates.ensure(dir);
    byte[] ca = Files.readAllBytes(first.ca());
    byte[] server = Files.readAllBytes(first.serverCert());
    StackCertificates again = StackCertificates.ensure(dir);
    assertEquals(new String(ca), Files.readString(again.ca()));
    assertEquals(new String(server), Files.readString(again.serverCert()));
  }

  @Test
  void issuesOtherHostsAndExpiredCertificates() throws Exception {
    StackCertificates c = StackCertificates.ensure(dir);
    X509Certificate other = read(c.issue("elsewhere", List.of("elsewhere.example"), List.of(), 30));
    other.verify(read(c.ca()).getPublicKey());
    assertEquals(
        List.of("elsewhere.example"),
        other.getSubjectAlternativeNames().stream().map(l -> l.get(1).toString()).toList());
    X509Certificate expired = read(c.issue("expired", List.of("localhost"), List.of(), 0));
    Thread.sleep(1_100);
    assertThrows(CertificateExpiredException.class, expired::checkValidity);
  }
}
