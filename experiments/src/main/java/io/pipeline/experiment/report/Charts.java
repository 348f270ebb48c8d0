package io.pipeline.experiment.report;

import io.pipeline.experiment.results.ChaosResults;
import io.pipeline.experiment.results.LatencyCurve;
import io.pipeline.experiment.results.ScalePoint;
import io.pipeline.experiment.results.TimeSeries;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Stroke;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.Marker;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's charts, drawn headless by JFreeChart and embedded as base64 PNG. One colour per
 * broker (Kafka blue, RabbitMQ orange), one line style per sink, so the two brokers read side by
 * side on one chart.
 */
final class Charts {
  static final int WIDTH = 900;
  static final int HEIGHT = 420;

  static final Color KAFKA = new Color(0x1f, 0x5f, 0xbf);
  static final Color RABBITMQ = new Color(0xe0, 0x6c, 0x00);
  private static final Color[] OTHERS = {
    new Color(0x2c, 0xa0, 0x2c), new Color(0x94, 0x67, 0xbd), new Color(0x8c, 0x56, 0x4b)
  };

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private Charts() {}

  /** A line per named series, x = seconds since start. */
  static JFreeChart timeSeries(String title, String yLabel, TimeSeries ts, List<String> names) {
    XYSeriesCollection data = new XYSeriesCollection();
    for (String name : names) {
      XYSeries s = new XYSeries(legend(name), false, true);
      for (TimeSeries.Point p : ts.points(name)) {
        s.add(p.t(), p.value());
      }
      data.addSeries(s);
    }
    return lineChart(title, "time since start (s)", yLabel, data, names);
  }

  /**
   * {@link #timeSeries} with each fault of a chaos run marked: a shaded band from its start to its
   * recovery (a line for an instant fault such as a joining worker), labelled with kind and target.
   */
  static JFreeChart timeSeries(
      String title,
      String yLabel,
      TimeSeries ts,
      List<String> names,
      List<ChaosResults.Fault> faults) {
    JFreeChart chart = timeSeries(title, yLabel, ts, names);
    XYPlot plot = chart.getXYPlot();
    Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 9);
    for (int i = 0; i < faults.size(); i++) {
      ChaosResults.Fault f = faults.get(i);
      Color c = faultColor(f.fault());
      double end =
          f.recoveredAt() != null ? Math.max(f.recoveredAt(), f.at()) : f.at() + (double) f.down();
      Marker m;
      if (end - f.at() >= 1) {
        m = new IntervalMarker(f.at(), end);
        m.setPaint(new Color(c.getRed(), c.getGreen(), c.getBlue(), 40));
        m.setOutlinePaint(c);
      } else {
        m = new ValueMarker(f.at());
        m.setPaint(c);
        m.setStroke(new BasicStroke(1.2f));
      }
      m.setLabel(f.fault().replace("-worker", "") + " " + f.target());
      m.setLabelFont(font);
      m.setLabelPaint(c.darker());
      m.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_LEFT);
      m.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.TOP_LEFT);
      // Stagger the labels so overlapping faults stay readable.
      m.setLabelOffset(new RectangleInsets(4 + 11 * (i % 8), 2, 2, 2));
      plot.addDomainMarker(m, org.jfree.chart.ui.Layer.BACKGROUND);
    }
    return chart;
  }

  private static Color faultColor(String kind) {
    return switch (kind) {
      case "sink-outage" -> new Color(0xc0, 0x20, 0x20);
      case "broker-restart", "kill-node", "stop-node" -> new Color(0x60, 0x20, 0xa0);
      case "kill-producer" -> new Color(0x20, 0x80, 0x20);
      case "join-worker", "leave-worker" -> new Color(0x20, 0x80, 0x90);
      default -> new Color(0x50, 0x50, 0x50);
    };
  }

  /**
   * Latency by percentile, HdrHistogram style: the x axis is 1/(1 - percentile) on a log scale,
   * labelled 0%, 90%, 99%, 99.9% ..., so the tail gets as much room as the median.
   */
  static JFreeChart percentiles(String title, List<LatencyCurve> curves) {
    XYSeriesCollection data = new XYSeriesCollection();
    double maxX = 100;
    for (LatencyCurve c : curves) {
      XYSeries s = new XYSeries(c.label(), false, true);
      for (LatencyCurve.Point p : c.points()) {
        if (p.percentile() >= 100.0) {
          continue; // 1/(1 - 1) has no place on the axis; max is in the summary table
        }
        double x = 1.0 / (1.0 - p.percentile() / 100.0);
        s.add(x, p.ms());
        maxX = Math.max(maxX, x);
      }
      data.addSeries(s);
    }
    LogAxis x = new LogAxis("percentile");
    x.setBase(10);
    x.setNumberFormatOverride(new PercentileFormat());
    x.setRange(1, Math.pow(10, Math.ceil(Math.log10(maxX))));
    // One labelled tick per "nine": 0%, 90%, 99%, 99.9% ... (the tick unit is in log10 space).
    x.setAutoTickUnitSelection(false);
    x.setTickUnit(new NumberTickUnit(1.0));
    x.setMinorTickMarksVisible(true);
    NumberAxis y = new NumberAxis("latency (ms)");
    y.setAutoRangeIncludesZero(true);
    XYPlot plot = new XYPlot(data, x, y, new XYLineAndShapeRenderer(true, false));
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setPadding(new RectangleInsets(4, 4, 4, 24)); // room for the last tick label
    style(chart, curves.stream().map(c -> c.broker() + "." + c.stage() + "." + c.sink()).toList());
    return chart;
  }

  /**
   * The scale-out curve: drain rate against consumers per sink, one line per broker × sink, each
   * consumer count marked.
   */
  static JFreeChart scale(String title, List<ScalePoint> points) {
    XYSeriesCollection data = new XYSeriesCollection();
    List<String> names = new java.util.ArrayList<>();
    for (ScalePoint p : points) {
      String name = p.broker() + ".drain." + p.sink();
      if (!names.contains(name)) {
        names.add(name);
        data.addSeries(new XYSeries(p.broker() + " → " + p.sink(), true, true));
      }
      if (p.ratePerSecond() != null) {
        data.getSeries(names.indexOf(name)).add(p.consumers(), p.ratePerSecond());
      }
    }
    JFreeChart chart = lineChart(title, "consumers per sink", "drain rate (events/s)", data, names);
    XYPlot plot = chart.getXYPlot();
    ((XYLineAndShapeRenderer) plot.getRenderer()).setDefaultShapesVisible(true);
    NumberAxis x = (NumberAxis) plot.getDomainAxis();
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    return chart;
  }

  /** A styled line chart of {@code data} (series named as {@code names}), y from zero. */
  private static JFreeChart lineChart(
      String title, String xLabel, String yLabel, XYSeriesCollection data, List<String> names) {
    JFreeChart chart =
        org.jfree.chart.ChartFactory.createXYLineChart(
            title, xLabel, yLabel, data, PlotOrientation.VERTICAL, true, false, false);
    style(chart, names);
    ((NumberAxis) chart.getXYPlot().getRangeAxis()).setAutoRangeIncludesZero(true);
    return chart;
  }

  /** The chart as an {@code <img>} of the page, its PNG inline. */
  static void embed(StringBuilder b, String id, JFreeChart chart) {
    b.append("<img class=\"chart\" id=\"chart-")
        .append(id)
        .append("\" alt=\"")
        .append(Html.esc(chart.getTitle().getText()))
        .append("\" width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(HEIGHT)
        .append("\" src=\"")
        .append(dataUri(chart))
        .append("\">\n");
  }

  /** The chart as a {@code data:image/png;base64,...} URI. */
  static String dataUri(JFreeChart chart) {
    try {
      byte[] png = ChartUtils.encodeAsPNG(chart.createBufferedImage(WIDTH, HEIGHT));
      return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code kafka.applied.warehouse} → {@code kafka applied warehouse}. */
  static String legend(String seriesName) {
    return seriesName.replace('.', ' ');
  }

  /** Colours and strokes by the {@code <broker>.<measure>[.<sink>]} naming of the series. */
  private static void style(JFreeChart chart, List<String> names) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    LegendTitle legend = chart.getLegend();
    if (legend != null) {
      legend.setPosition(RectangleEdge.BOTTOM);
      legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    }
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
    plot.setRangeGridlinePaint(new Color(0xdd, 0xdd, 0xdd));
    XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) plot.getRenderer();
    r.setDefaultShapesVisible(false);
    int other = 0;
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      Color color;
      if (name.startsWith("kafka")) {
        color = KAFKA;
      } else if (name.startsWith("rabbitmq")) {
        color = RABBITMQ;
      } else {
        color = OTHERS[other++ % OTHERS.length];
      }
      r.setSeriesPaint(i, color);
      r.setSeriesStroke(i, stroke(name));
    }
  }

  /** Solid for the producer, dashed for the warehouse, dotted for the cache. */
  private static Stroke stroke(String name) {
    if (name.endsWith(".warehouse")) {
      return new BasicStroke(
          2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {8f, 4f}, 0f);
    }
    if (name.endsWith(".cache")) {
      return new BasicStroke(
          2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {2f, 4f}, 0f);
    }
    return new BasicStroke(2f);
  }

  /** Labels the log axis value v = 1/(1-p) as the percentile p. */
  static final class PercentileFormat extends NumberFormat {
    private static final long serialVersionUID = 1L;

    @Override
    public StringBuffer format(double v, StringBuffer to, FieldPosition pos) {
      double p = 100.0 * (1.0 - 1.0 / v);
      DecimalFormat f =
          new DecimalFormat("0.####", java.text.DecimalFormatSymbols.getInstance(Locale.ROOT));
      return to.append(f.format(Math.max(0, p))).append('%');
    }

    @Override
    public StringBuffer format(long v, StringBuffer to, FieldPosition pos) {
      return format((double) v, to, pos);
    }

    @Override
    public Number parse(String source, ParsePosition pos) {
      throw new UnsupportedOperationException("labels only");
    }
  }
}
