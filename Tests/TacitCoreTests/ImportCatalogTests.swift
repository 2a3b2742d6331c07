import Testing
@testable import TacitCore

@Suite("Import: item and user catalogs")
struct ImportCatalogTests {
    @Test func itemsCSVWithEveryColumn() throws {
        let text = """
            id,name,category,brand,price,tags,created_at,available,color
            a1,"Shoe, red",shoes,Acme,19.90,sport; running|red ,2024-05-01T00:00:00Z,no,red
            a2,,,,,,,,
            "b""3",Hat,hats,Acme,5,,1714521600,TRUE,blue
            """
        let path = try ImportFixtures.write(text, name: "items.csv")
        let (items, report) = try ItemCatalogReader().read(path: path)
        #expect(items == [
            ItemRecord(id: "a1", title: "Shoe, red", category: "shoes", brand: "Acme", price: 19.9,
                       tags: ["sport", "running", "red"], createdAt: 1_714_521_600, available: false, attributes: ["color": "red"]),
            ItemRecord(id: "a2"),
            ItemRecord(id: "b\"3", title: "Hat", category: "hats", brand: "Acme", price: 5, createdAt: 1_714_521_600,
                       attributes: ["color": "blue"]),
        ])
        #expect(report.accepted == 3)
    }

    @Test func genresBecomeTagsAndTheFirstGenreTheCategory() throws {
        let path = try ImportFixtures.write("item_id,title,year,genres\n1,Toy Story,1995,Animation|Children's|Comedy\n", name: "items.csv")
        let (items, _) = try ItemCatalogReader().read(path: path)
        #expect(items == [ItemRecord(id: "1", title: "Toy Story", category: "Animation",
                                     tags: ["Animation", "Children's", "Comedy"], attributes: ["year": "1995"])])
    }

    /// Columns that name no field are attributes under their header name; a second alias of a
    /// field (`name` beside `title`, `genres` beside `tags`) and an explicitly mapped column are
    /// not; empty values are left out.
    @Test func otherColumnsBecomeAttributes() throws {
        let text = "sku,title,name,tags,genres,Colour,size,maker\ns1,Sock,Socky,a,b,Navy Blue,,Knitco\n"
        let path = try ImportFixtures.write(text, name: "items.csv")
        let (items, _) = try ItemCatalogReader(columns: [.brand: "maker"]).read(path: path)
        #expect(items == [ItemRecord(id: "s1", title: "Sock", brand: "Knitco", tags: ["a"], attributes: ["Colour": "Navy Blue"])])
        // Hostile attribute columns: numbers stay text as written (never parsed, so 1e300 and nan
        // cannot reach arithmetic), control characters other than NUL are kept as the HTTP edge
        // keeps them, a column without a name is left out, an empty id is a bad row at file:line.
        let odd = try ImportFixtures.write("item_id,weight,,note\nx,1e300,unnamed,a\u{7}b\ny,nan,,\n,1,2,3\n", name: "odd.csv")
        let oddError = ImportFixtures.error { () throws(TacitError) in try ItemCatalogReader().read(path: odd) }
        #expect(oddError == TacitError.invalidRow(file: odd, line: 4, reason: "no item id (accepted names: item_id, id, itemid, item, product_id, productid, movie_id, sku)"))
        #expect(try ItemCatalogReader(skipInvalid: true).read(path: odd).items
                == [ItemRecord(id: "x", attributes: ["weight": "1e300", "note": "a\u{7}b"]), ItemRecord(id: "y", attributes: ["weight": "nan"])])
        let lines = try ImportFixtures.write(#"{"item_id": "j", "year": 1999, "moods": ["calm", "dark"]}"# + "\n", name: "items.jsonl")
        #expect(try ItemCatalogReader().read(path: lines).items == [ItemRecord(id: "j", attributes: ["year": "1999", "moods": "calm|dark"])])
    }

    @Test func itemsJSONLinesWithArraysAndNumbers() throws {
        let text = """
            {"item_id": 7, "title": "Lamp", "tags": ["home", "light"], "price": 12.5, "available": true}
            {"id": "x", "tags": "a|b", "brand": null}
            """
        let path = try ImportFixtures.write(text, name: "items.jsonl")
        let (items, _) = try ItemCatalogReader().read(path: path)
        #expect(items == [
            ItemRecord(id: "7", title: "Lamp", price: 12.5, tags: ["home", "light"]),
            ItemRecord(id: "x", tags: ["a", "b"]),
        ])
    }

    @Test func badCatalogRowsThrowOrAreSkipped() throws {
        let text = "item_id,price,available\n1,2,yes\n2,cheap,yes\n1,3,yes\n3,4,maybe\n,5,no\n4,1,no\n"
        let path = try ImportFixtures.write(text, name: "items.csv")
        let error = ImportFixtures.error { () throws(TacitError) in try ItemCatalogReader().read(path: path) }
        #expect(error == TacitError.invalidRow(file: path, line: 3, reason: "price 'cheap' is not a number from 0 to 1e12"))
        let (items, report) = try ItemCatalogReader(skipInvalid: true).read(path: path)
        #expect(items.map(\.id) == ["1", "4"])
        #expect(report.skipped[.badAttribute]?.count == 2)
        #expect(report.skipped[.duplicateID] == SkippedRows(count: 1, firstLine: 4, firstMessage: "item id '1' already appeared on line 2"))
        #expect(report.skipped[.emptyID]?.firstLine == 6)
    }

    @Test("hostile catalog rows: out-of-range or non-finite prices and dates, bad ids, each named by file:line",
          arguments: [
              ("i1,1e300,", "price '1e300' is not a number from 0 to 1e12"),
              ("i1,-1,", "price '-1' is not a number from 0 to 1e12"),
              ("i1,inf,", "price 'inf' is not a number from 0 to 1e12"),
              ("i1,nan,", "price 'nan' is not a number from 0 to 1e12"),
              ("i1,1,1e300", "created_at '1e300' is not a number or ISO-8601 date from 1970 to 9999"),
              ("i1,1,-1e300", "created_at '-1e300' is not a number or ISO-8601 date from 1970 to 9999"),
              ("i1,1,-5", "created_at '-5' is not a number or ISO-8601 date from 1970 to 9999"),
              ("i1,1,99999999999999999999", "created_at '99999999999999999999' is not a number or ISO-8601 date from 1970 to 9999"),
              ("i\u{7F}1,1,", "item id contains a control character (byte 1, 0x7F)"),
              ("i1,1\u{0}2,", "price: must not contain NUL (U+0000)"),
          ])
    func hostileCatalogRows(row: String, reason: String) throws {
        let path = try ImportFixtures.write("item_id,price,created_at\nok,2,1700000000\n\(row)\n", name: "items.csv")
        let error = ImportFixtures.error { () throws(TacitError) in try ItemCatalogReader().read(path: path) }
        #expect(error == TacitError.invalidRow(file: path, line: 3, reason: reason))
        let (items, _) = try ItemCatalogReader(skipInvalid: true).read(path: path)
        #expect(items == [ItemRecord(id: "ok", price: 2, createdAt: 1_700_000_000)])
    }

    /// A NUL in any value, attributes included, makes a bad row named by file:line: no store
    /// keeps NUL in text (PostgreSQL refuses it), and the HTTP edge refuses it too.
    @Test func nulCharactersInCatalogRowsAreBadRows() throws {
        let items = try ImportFixtures.write("item_id,title,colour\na,A,red\nb,B,bl\u{0}ue\n", name: "items.csv")
        let error = ImportFixtures.error { () throws(TacitError) in try ItemCatalogReader().read(path: items) }
        #expect(error == TacitError.invalidRow(file: items, line: 3, reason: "colour: must not contain NUL (U+0000)"))
        #expect(try ItemCatalogReader(skipInvalid: true).read(path: items).items == [ItemRecord(id: "a", title: "A", attributes: ["colour": "red"])])
        let users = try ImportFixtures.write("user_id,zip\n1,12\u{0}3\n2,45\n", name: "users.csv")
        let userError = ImportFixtures.error { () throws(TacitError) in try UserCatalogReader().read(path: users) }
        #expect(userError == TacitError.invalidRow(file: users, line: 2, reason: "zip: must not contain NUL (U+0000)"))
        #expect(try UserCatalogReader(skipInvalid: true).read(path: users).users == [UserRecord(id: "2", attributes: ["zip": "45"])])
    }

    @Test func itemFileWithoutAnIdColumnIsAFormatError() throws {
        let path = try ImportFixtures.write("title,price\nx,1\n", name: "items.csv")
        let error = ImportFixtures.error { () throws(TacitError) in try ItemCatalogReader().read(path: path) }
        #expect(error == TacitError.format(
            path: path, reason: "no id column: the header is 'title,price'; "
                + "accepted names: item_id, id, itemid, item, product_id, productid, movie_id, sku"))
        let (items, _) = try ItemCatalogReader(columns: [.id: "Title"]).read(path: path)
        #expect(items == [ItemRecord(id: "x", price: 1)])
    }

    @Test func usersKeepEveryOtherColumnAsAnAttribute() throws {
        let path = try ImportFixtures.write("user_id,age,gender,zip_code\n1,24,M,85711\n2,,F,\n", name: "users.csv")
        let (users, report) = try UserCatalogReader().read(path: path)
        #expect(users == [
            UserRecord(id: "1", attributes: ["age": "24", "gender": "M", "zip_code": "85711"]),
            UserRecord(id: "2", attributes: ["gender": "F"]),
        ])
        #expect(report.accepted == 2)
        let jsonl = try ImportFixtures.write("{\"visitorid\": 9, \"segments\": [\"a\", \"b\"], \"vip\": true}\n", name: "users.jsonl")
        let (fromJSON, _) = try UserCatalogReader().read(path: jsonl)
        #expect(fromJSON == [UserRecord(id: "9", attributes: ["segments": "a|b", "vip": "true"])])
    }
}
