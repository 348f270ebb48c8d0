package io.pipeline.sink;

/**
 * Settings that would break a guarantee (e.g. dedup marks shorter than the broker's replay window):
 * the worker refuses to start, and does not retry, since waiting does not fix a setting. The
 * message names the setting, the value and the fix.
 */
public final class UnsafeSettingsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UnsafeSettingsException(String message) {
    super(message);
  }
}
