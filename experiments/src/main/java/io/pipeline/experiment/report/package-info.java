/**
 * Renders a run's results file as one self-contained HTML page (charts embedded as PNG), and
 * compares two runs figure by figure.
 */
package io.pipeline.experiment.report;
