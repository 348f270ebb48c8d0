/**
 * The results of one run as plain records, written as one JSON file per run. The schema is
 * documented field by field in {@code docs/results-schema.md}; bump {@link
 * io.pipeline.experiment.results.RunResults#SCHEMA_VERSION} when a field changes meaning.
 */
package io.pipeline.experiment.results;
