/**
 * The child processes a run starts, as typed records: each builds its child's command line in one
 * {@code toArgs()}, so a flag is spelled in exactly one place (and a test in {@code cli} parses
 * every spec's arguments with the real command tree).
 */
package io.pipeline.experiment.spec;
