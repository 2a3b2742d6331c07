import Testing
@testable import TacitExperiments

struct DailySeriesTests {
    let definition = ExperimentDefinition(id: "e", variants: [.init(name: "control"), .init(name: "treatment")])
    /// 2023-11-14 22:13:20, 2023-11-15 12:06:40, 2023-11-16 15:53:20 (UTC).
    let day0: Int64 = 1_700_000_000, day1: Int64 = 1_700_050_000, day2: Int64 = 1_700_150_000

    /// Out of order; u6 has no timestamp (counted in the totals, not in the series).
    var records: [ExposureRecord] {
        [
            .init(user: "u1", variant: "control", clicks: 1, purchases: 1, revenue: 5, timestamp: day1),
            .init(user: "u3", variant: "control", timestamp: day2),
            .init(user: "u1", variant: "control", timestamp: day0),
            .init(user: "u2", variant: "control", clicks: 1, timestamp: day1),
            .init(user: "u5", variant: "treatment", purchases: 1, timestamp: day2),
            .init(user: "u4", variant: "treatment", clicks: 1, purchases: 1, timestamp: day0),
            .init(user: "u6", variant: "treatment", clicks: 1),
        ]
    }

    @Test func cumulativeSeriesPerUTCDay() throws {
        var analyzer = try ExperimentAnalyzer(definition)
        analyzer.add(contentsOf: records)
        let report = analyzer.report()
        let control = report.variants[0].daily, treatment = report.variants[1].daily
        #expect(control.map(\.day) == ["2023-11-14", "2023-11-15", "2023-11-16"])
        #expect(treatment.map(\.day) == control.map(\.day))
        #expect(control.map(\.users) == [1, 2, 3])
        #expect(control.map(\.impressions) == [1, 3, 4])
        #expect(control.map(\.clickedImpressions) == [0, 2, 2])
        #expect(control.map(\.convertedUsers) == [0, 1, 1])
        #expect(control.map(\.conversion) == [0, 0.5, 1.0 / 3])
        #expect(control.map(\.ctr) == [0, 2.0 / 3, 0.5])
        // The day without treatment impressions carries the previous totals.
        #expect(treatment.map(\.users) == [1, 1, 2])
        #expect(treatment.map(\.convertedUsers) == [1, 1, 2])
        #expect(treatment.map(\.conversion) == [1, 1, 1])
        #expect(treatment.map(\.ctr) == [1, 1, 0.5])
        #expect(report.variants[1].users == 3)
    }

    @Test func noTimestampsNoSeries() throws {
        var analyzer = try ExperimentAnalyzer(definition)
        analyzer.add(.init(user: "u1", variant: "control", clicks: 1))
        #expect(analyzer.report().variants.allSatisfy { $0.daily.isEmpty })
    }

    @Test func utcDayNumbersAndDates() {
        #expect(DailyAccumulator.day(0) == 0 && DailyAccumulator.day(86_399) == 0 && DailyAccumulator.day(86_400) == 1)
        #expect(DailyAccumulator.day(-1) == -1 && DailyAccumulator.day(-86_400) == -1 && DailyAccumulator.day(-86_401) == -2)
        #expect(DailyAccumulator.format(0) == "1970-01-01")
        #expect(DailyAccumulator.format(-1) == "1969-12-31")
        #expect(DailyAccumulator.format(19_782) == "2024-02-29")
        #expect(DailyAccumulator.format(19_675) == "2023-11-14")
    }
}
