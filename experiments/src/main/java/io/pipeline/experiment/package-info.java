/** The demo, load experiments from workload files, run results and their HTML report. */
package io.pipeline.experiment;
