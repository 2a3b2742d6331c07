import Foundation

/// A horizontal bar chart as inline SVG: one bar per model, its value written beside it.
struct BarChart {
    var title: String
    var bars: [(label: String, value: Double)]
    /// `String(format:)` pattern of the value labels.
    var format: String

    func svg() -> String {
        let labelWidth = 120.0, barWidth = 190.0, valueWidth = 70.0, rowHeight = 22.0
        let width = labelWidth + barWidth + valueWidth
        let height = rowHeight * Double(max(bars.count, 1)) + 8
        let top = bars.map(\.value).filter(\.isFinite).max() ?? 0
        var svg = "<figure data-chart=\"\(EvaluationReport.escape(title))\"><figcaption>\(EvaluationReport.escape(title))</figcaption>"
        svg += "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(EvaluationReport.escape(title))\">"
        for (index, bar) in bars.enumerated() {
            let y = 4 + Double(index) * rowHeight
            let value = bar.value.isFinite ? max(0, bar.value) : 0
            let length = top > 0 ? value / top * barWidth : 0
            let color = EvaluationReport.palette[index % EvaluationReport.palette.count]
            svg += "<text x=\"\(Int(labelWidth - 6))\" y=\"\(fmt(y + 15))\" text-anchor=\"end\">\(EvaluationReport.escape(clip(bar.label)))</text>"
            svg += "<rect class=\"bar\" data-label=\"\(EvaluationReport.escape(bar.label))\" x=\"\(Int(labelWidth))\" y=\"\(fmt(y + 3))\" width=\"\(fmt(length))\" height=\"\(fmt(rowHeight - 6))\" rx=\"2\" fill=\"\(color)\"/>"
            svg += "<text x=\"\(fmt(labelWidth + length + 4))\" y=\"\(fmt(y + 15))\">\(String(format: format, bar.value))</text>"
        }
        return svg + "</svg></figure>"
    }
}

/// Lines over K (metric@K curves) as inline SVG: one polyline with points per model, a legend,
/// the K values on the x axis (evenly spaced) and a 0-based y axis with gridlines.
struct LineChart {
    var title: String
    var series: [(label: String, points: [(k: Int, value: Double)])]

    func svg() -> String {
        let width = 360.0, height = 220.0, left = 44.0, right = 10.0, top = 10.0, bottom = 40.0
        let ks = Array(Set(series.flatMap { $0.points.map(\.k) })).sorted()
        let peak = series.flatMap { $0.points.map(\.value) }.filter(\.isFinite).max() ?? 0
        let yMax = peak > 0 ? niceCeiling(peak) : 1
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        func x(_ k: Int) -> Double {
            guard ks.count > 1, let index = ks.firstIndex(of: k) else { return left + plotWidth / 2 }
            return left + Double(index) / Double(ks.count - 1) * plotWidth
        }
        func y(_ value: Double) -> Double { top + plotHeight - (value.isFinite ? max(0, value) : 0) / yMax * plotHeight }

        var svg = "<figure data-chart=\"\(EvaluationReport.escape(title))\"><figcaption>\(EvaluationReport.escape(title))</figcaption>"
        svg += "<svg viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(EvaluationReport.escape(title))\">"
        for step in 0...4 {
            let value = yMax * Double(step) / 4
            svg += "<line x1=\"\(fmt(left))\" x2=\"\(fmt(width - right))\" y1=\"\(fmt(y(value)))\" y2=\"\(fmt(y(value)))\" stroke=\"#e2e8f0\"/>"
            svg += "<text x=\"\(fmt(left - 4))\" y=\"\(fmt(y(value) + 4))\" text-anchor=\"end\">\(String(format: "%.3g", value))</text>"
        }
        for k in ks {
            svg += "<text x=\"\(fmt(x(k)))\" y=\"\(fmt(top + plotHeight + 14))\" text-anchor=\"middle\">\(k)</text>"
        }
        svg += "<text x=\"\(fmt(left + plotWidth / 2))\" y=\"\(fmt(top + plotHeight + 27))\" text-anchor=\"middle\">K</text>"
        for (index, line) in series.enumerated() {
            let color = EvaluationReport.palette[index % EvaluationReport.palette.count]
            let points = line.points.map { "\(fmt(x($0.k))),\(fmt(y($0.value)))" }.joined(separator: " ")
            svg += "<polyline class=\"series\" data-label=\"\(EvaluationReport.escape(line.label))\" points=\"\(points)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            for point in line.points {
                svg += "<circle class=\"point\" cx=\"\(fmt(x(point.k)))\" cy=\"\(fmt(y(point.value)))\" r=\"2.5\" fill=\"\(color)\"><title>\(EvaluationReport.escape(line.label)) @\(point.k): \(String(format: "%.4f", point.value))</title></circle>"
            }
        }
        svg += "</svg><div class=\"legend\">"
        for (index, line) in series.enumerated() {
            let color = EvaluationReport.palette[index % EvaluationReport.palette.count]
            svg += "<span style=\"color:\(color)\">■</span> \(EvaluationReport.escape(line.label)) "
        }
        return svg + "</div></figure>"
    }

    /// The smallest of 1, 2, 2.5 or 5 times a power of ten that is at least `value`.
    private func niceCeiling(_ value: Double) -> Double {
        let power = pow(10, floor(log10(value)))
        for factor in [1.0, 2.0, 2.5, 5.0, 10.0] where factor * power >= value { return factor * power }
        return 10 * power
    }
}

/// A coordinate with at most two decimals.
private func fmt(_ value: Double) -> String { String(format: "%.2f", value.isFinite ? value : 0) }

/// A label cut to fit the bar chart's label column.
private func clip(_ label: String) -> String { label.count > 18 ? String(label.prefix(17)) + "…" : label }
