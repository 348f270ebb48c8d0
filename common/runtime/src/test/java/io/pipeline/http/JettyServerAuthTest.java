package io.pipeline.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** A server with a token answers only callers that send it; probes and scrapes stay open. */
class JettyServerAuthTest {
  private static final String SECRET = "0123456789abcdef0123";

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> get(JettyServer s, String path, String authorization)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withoutTheTokenTheAnswerIs401AndTheSameWhateverWasSent() throws Exception {
    try (JettyServer s =
        JettyServer.start(
            JettyServer.Listener.of("127.0.0.1", 0),
            JettyServer.Options.of("auth-test", 2).withToken(BearerToken.of("T", SECRET)),
            (req, resp, cb) -> JettyServer.send(resp, cb, 200, "text/plain", "secret data"))) {
      HttpResponse<String> none = get(s, "/videos/v1/views", null);
      HttpResponse<String> wrong = get(s, "/videos/v1/views", "Bearer " + SECRET + "0");
      HttpResponse<String> basic = get(s, "/videos/v1/views", "Basic " + SECRET);
      for (HttpResponse<String> r : java.util.List.of(none, wrong, basic)) {
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("WWW-Authenticate"))
            .hasValue("Bearer realm=\"pipeline\"");
        assertThat(r.body()).isEqualTo(none.body()).doesNotContain("secret data");
      }
      HttpResponse<String> right = get(s, "/videos/v1/views", "Bearer " + SECRET);
      assertThat(right.statusCode()).isEqualTo(200);
      assertThat(right.body()).isEqualTo("secret data");
      assertThat(get(s, "/health/ready", null).statusCode()).isEqualTo(200);
      assertThat(get(s, "/metrics", null).statusCode()).isEqualTo(200);
      assertThat(get(s, "/metricsx", null).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void withoutATokenConfiguredEveryCallerIsAnswered() throws Exception {
    try (JettyServer s =
        JettyServer.start(
            JettyServer.Listener.of("127.0.0.1", 0),
            JettyServer.Options.of("auth-test", 2),
            (req, resp, cb) -> JettyServer.send(resp, cb, 200, "text/plain", "open"))) {
      assertThat(get(s, "/anything", null).statusCode()).isEqualTo(200);
    }
  }
}
