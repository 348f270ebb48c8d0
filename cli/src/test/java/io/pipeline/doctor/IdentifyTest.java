package io.pipeline.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import io.pipeline.doctor.Identify.Probe;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IdentifyTest {
  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void redisRepliesToPing() {
    assertThat(Identify.recognize(Probe.REDIS, ascii("+PONG\r\n"))).isEqualTo(Service.REDIS);
    assertThat(Identify.recognize(Probe.REDIS, ascii("-NOAUTH Authentication required.\r\n")))
        .isEqualTo(Service.REDIS);
    assertThat(Identify.recognize(Probe.REDIS, ascii("+PONG"))).isNull(); // no CRLF yet
  }

  @Test
  void postgresAnswersSslRequestWithOneByte() {
    assertThat(Identify.recognize(Probe.POSTGRESQL, ascii("N"))).isEqualTo(Service.POSTGRESQL);
    assertThat(Identify.recognize(Probe.POSTGRESQL, ascii("S"))).isEqualTo(Service.POSTGRESQL);
    assertThat(Identify.recognize(Probe.POSTGRESQL, ascii("NO"))).isNull();
    assertThat(Identify.recognize(Probe.REDIS, ascii("N"))).isNull();
  }

  @Test
  void rabbitAnswersConnectionStartOrItsProtocolHeader() {
    byte[] start = {1, 0, 0, 0, 0, 1, (byte) 0xC4, 0, 10, 0, 10, 0, 9};
    assertThat(Identify.recognize(Probe.RABBITMQ, start)).isEqualTo(Service.RABBITMQ);
    // RabbitMQ's answer to anything else (e.g. Redis's PING) is its own protocol header.
    assertThat(Identify.recognize(Probe.REDIS, new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1}))
        .isEqualTo(Service.RABBITMQ);
  }

  @Test
  void kafkaEchoesTheCorrelationId() {
    byte[] reply = ByteBuffer.allocate(10).putInt(6).putInt(Identify.CORRELATION_ID).array();
    assertThat(Identify.recognize(Probe.KAFKA, reply)).isEqualTo(Service.KAFKA);
    byte[] other = ByteBuffer.allocate(10).putInt(6).putInt(42).array();
    assertThat(Identify.recognize(Probe.KAFKA, other)).isNull();
  }

  @Test
  void httpIsAWorkerEndpoint() {
    assertThat(Identify.recognize(Probe.HTTP, ascii("HTTP/1.1 404 Not Found\r\n")))
        .isEqualTo(Service.WORKER);
  }

  @Test
  void unknownBytesAreNotRecognised() {
    for (Probe p : Probe.values()) {
      assertThat(Identify.recognize(p, ascii("SSH-2.0-OpenSSH_9.2\r\n"))).isNull();
    }
  }

  @Test
  void printableEscapesControlBytes() {
    assertThat(Identify.printable(new byte[] {'A', 'M', 'Q', 'P', 0, 0, 9, 1}))
        .isEqualTo("AMQP\\x00\\x00\\x09\\x01");
    assertThat(Identify.printable(ascii("+PONG\r\n"))).isEqualTo("+PONG\\r\\n");
  }
}
