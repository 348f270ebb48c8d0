package io.pipeline.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The distribution (cli/src/assembly, cli/src/dist/bin/pipeline): what the descriptors put where,
 * and what the launcher runs, with a stand-in {@code java} that prints its arguments.
 */
class DistributionTest {
  private static final Path ASSEMBLY = Path.of("src/assembly");
  private static final Path LAUNCHER = Path.of("src/dist/bin/pipeline");

  private static Document xml(Path p) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(false);
    return f.newDocumentBuilder().parse(p.toFile());
  }

  private static String text(Element parent, String tag) {
    NodeList l = parent.getElementsByTagName(tag);
    return l.getLength() == 0 ? null : l.item(0).getTextContent().trim();
  }

  private static List<Element> elements(Document d, String tag) {
    NodeList l = d.getElementsByTagName(tag);
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < l.getLength(); i++) {
      out.add((Element) l.item(i));
    }
    return out;
  }

  /** Whether some {@code tag} element has every child text of {@code wanted}. */
  private static boolean has(Document d, String tag, Map<String, String> wanted) {
    return elements(d, tag).stream()
        .anyMatch(
            e ->
                wanted.entrySet().stream().allMatch(w -> w.getValue().equals(text(e, w.getKey()))));
  }

  /** What is wrong with a component descriptor: launcher in bin/ as 0755, runtime jars in lib/. */
  static List<String> componentProblems(Path component) throws Exception {
    Document d = xml(component);
    List<String> problems = new ArrayList<>();
    if (!has(
        d,
        "fileSet",
        Map.of(
            "outputDirectory",
            "bin",
            "include",
            "pipeline",
            "fileMode",
            "0755",
            "lineEnding",
            "unix"))) {
      problems.add("no fileSet puts bin/pipeline as 0755 with unix line endings");
    }
    if (!has(
        d,
        "dependencySet",
        Map.of("outputDirectory", "lib", "useProjectArtifact", "true", "scope", "runtime"))) {
      problems.add("no dependencySet puts the cli jar and its runtime class path in lib/");
    }
    return problems;
  }

  @Test
  void theComponentPutsTheLauncherInBinAndTheRuntimeClassPathInLib() throws Exception {
    assertThat(componentProblems(ASSEMBLY.resolve("dist-component.xml"))).isEmpty();
  }

  @Test
  void aComponentWithoutTheExecutableLauncherOrTheProjectJarIsReported(@TempDir Path tmp)
      throws Exception {
    String good = Files.readString(ASSEMBLY.resolve("dist-component.xml"));
    Path noExec = tmp.resolve("a.xml");
    Files.writeString(
        noExec, good.replace("<fileMode>0755</fileMode>", "<fileMode>0644</fileMode>"));
    assertThat(componentProblems(noExec))
        .containsExactly("no fileSet puts bin/pipeline as 0755 with unix line endings");
    Path noJar = tmp.resolve("b.xml");
    Files.writeString(noJar, good.replace("<useProjectArtifact>true", "<useProjectArtifact>false"));
    assertThat(componentProblems(noJar))
        .containsExactly("no dependencySet puts the cli jar and its runtime class path in lib/");
  }

  @Test
  void theFolderAndTheTarballShareTheComponent() throws Exception {
    Map<String, String> formats = Map.of("dist-dir.xml", "dir", "dist-tar.xml", "tar.gz");
    for (Map.Entry<String, String> e : formats.entrySet()) {
      Element root = xml(ASSEMBLY.resolve(e.getKey())).getDocumentElement();
      assertThat(text(root, "id")).as(e.getKey()).isEqualTo("dist");
      assertThat(text(root, "format")).as(e.getKey()).isEqualTo(e.getValue());
      assertThat(text(root, "componentDescriptor"))
          .as(e.getKey())
          .isEqualTo("src/assembly/dist-component.xml");
    }
    // The folder is cli/target/pipeline-dist itself (bin/pipeline of the source tree runs it).
    assertThat(
            text(
                xml(ASSEMBLY.resolve("dist-dir.xml")).getDocumentElement(), "includeBaseDirectory"))
        .isEqualTo("false");
    Element plugin =
        elements(xml(Path.of("pom.xml")), "plugin").stream()
            .filter(p -> "maven-assembly-plugin".equals(text(p, "artifactId")))
            .findFirst()
            .orElseThrow();
    assertThat(text(plugin, "finalName")).isEqualTo("pipeline");
    assertThat(text(plugin, "phase")).isEqualTo("package");
  }

  /** Runs the launcher copied into {@code dist/bin} with a {@code java} that prints its args. */
  private static List<String> launch(Path launcher, Path dist, Map<String, String> env)
      throws Exception {
    Files.createDirectories(dist.resolve("bin"));
    Files.createDirectories(dist.resolve("lib"));
    Path copy = dist.resolve("bin/pipeline");
    Files.copy(launcher, copy);
    Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jdk = dist.resolveSibling("jdk");
    Files.createDirectories(jdk.resolve("bin"));
    Path java = jdk.resolve("bin/java");
    // $$ is the process that runs java: the launcher's own pid when it exec'd.
    Files.writeString(java, "#!/bin/sh\necho \"pid=$$\"\nfor a in \"$@\"; do echo \"$a\"; done\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    ProcessBuilder pb =
        new ProcessBuilder(copy.toString(), "consume", "warehouse", "--source", "a b");
    pb.environment().put("JAVA_HOME", jdk.toString());
    pb.environment().remove("PIPELINE_JAVA_OPTS");
    pb.environment().remove("PIPELINE_HOME");
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    List<String> lines = new ArrayList<>(out.lines().toList());
    assertThat(lines.remove(0))
        .as("java runs in the launcher's process")
        .isEqualTo("pid=" + p.pid());
    return lines;
  }

  @Test
  void theLauncherExecsJavaWithLibOnTheClassPathAndPassesEveryArgument(@TempDir Path tmp)
      throws Exception {
    Path dist = tmp.resolve("dist");
    List<String> args =
        launch(
            LAUNCHER,
            dist,
            Map.of("PIPELINE_JAVA_OPTS", "-Xmx64m -Dx=1", "PIPELINE_HOME", "/srv/pipeline"));
    assertThat(args)
        .containsExactly(
            "-Xmx64m",
            "-Dx=1",
            "-Dpipeline.home=/srv/pipeline",
            "-cp",
            dist.toRealPath() + "/lib/*",
            Main.class.getName(),
            "consume",
            "warehouse",
            "--source",
            "a b");
    assertThat(launch(LAUNCHER, tmp.resolve("plain"), Map.of()))
        .as("no PIPELINE_HOME: no pipeline.home, the working directory")
        .noneMatch(a -> a.startsWith("-Dpipeline.home"));
  }

  @Test
  void aLauncherThatForksJavaInsteadOfExecIsCaught(@TempDir Path tmp) throws Exception {
    Path forking = tmp.resolve("forking");
    Files.writeString(
        forking, Files.readString(LAUNCHER).replace("\nexec \"$java\"", "\n\"$java\""));
    assertThat(Files.readString(forking)).isNotEqualTo(Files.readString(LAUNCHER));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> launch(forking, tmp.resolve("dist"), Map.of()))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("java runs in the launcher's process");
  }
}
