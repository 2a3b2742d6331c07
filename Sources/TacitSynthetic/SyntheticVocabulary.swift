/// The words a synthetic shop is made of: category names with their nouns, tags and typical
/// prices, brand syllables, countries.
enum SyntheticVocabulary {
    /// One base category.
    struct Category {
        let name: String
        /// Median price in the shop's currency.
        let medianPrice: Double
        /// Product nouns used in titles.
        let nouns: [String]
        /// The category's tag vocabulary.
        let tags: [String]
    }

    static let categories: [Category] = [
        Category(name: "electronics", medianPrice: 120, nouns: ["Headphones", "Speaker", "Charger", "Camera", "Monitor"],
                 tags: ["wireless", "bluetooth", "4k", "portable", "smart", "usb-c", "rechargeable", "noise-cancelling"]),
        Category(name: "books", medianPrice: 15, nouns: ["Novel", "Cookbook", "Biography", "Guide", "Anthology"],
                 tags: ["fiction", "mystery", "history", "science", "romance", "fantasy", "bestseller", "paperback"]),
        Category(name: "home", medianPrice: 45, nouns: ["Lamp", "Rug", "Cushion", "Vase", "Curtain"],
                 tags: ["cotton", "minimalist", "vintage", "handmade", "scandinavian", "velvet", "ceramic", "oak"]),
        Category(name: "garden", medianPrice: 35, nouns: ["Planter", "Hose", "Shears", "Seed Kit", "Bench"],
                 tags: ["outdoor", "weatherproof", "organic", "terracotta", "solar", "compact", "perennial", "steel"]),
        Category(name: "toys", medianPrice: 25, nouns: ["Puzzle", "Robot", "Doll", "Building Set", "Board Game"],
                 tags: ["educational", "wooden", "stem", "plush", "family", "creative", "ages-3+", "collectible"]),
        Category(name: "sports", medianPrice: 40, nouns: ["Yoga Mat", "Dumbbell", "Racket", "Water Bottle", "Helmet"],
                 tags: ["running", "cycling", "fitness", "lightweight", "breathable", "pro", "training", "adjustable"]),
        Category(name: "beauty", medianPrice: 22, nouns: ["Serum", "Lipstick", "Cream", "Shampoo", "Palette"],
                 tags: ["vegan", "organic", "fragrance-free", "hydrating", "matte", "spf", "sensitive-skin", "travel-size"]),
        Category(name: "fashion", medianPrice: 55, nouns: ["Jacket", "Sneakers", "Dress", "Scarf", "Backpack"],
                 tags: ["denim", "leather", "casual", "slim-fit", "waterproof", "wool", "summer", "streetwear"]),
        Category(name: "grocery", medianPrice: 6, nouns: ["Coffee", "Olive Oil", "Granola", "Tea", "Chocolate"],
                 tags: ["organic", "gluten-free", "fair-trade", "vegan", "spicy", "bulk", "single-origin", "sugar-free"]),
        Category(name: "music", medianPrice: 30, nouns: ["Vinyl", "Guitar Strings", "Ukulele", "Metronome", "Keyboard"],
                 tags: ["jazz", "rock", "classical", "acoustic", "electric", "beginner", "limited-edition", "studio"]),
        Category(name: "games", medianPrice: 50, nouns: ["Controller", "Console Game", "Headset", "Card Game", "Gaming Mouse"],
                 tags: ["multiplayer", "rpg", "strategy", "rgb", "retro", "co-op", "indie", "esports"]),
        Category(name: "pets", medianPrice: 20, nouns: ["Dog Bed", "Cat Toy", "Leash", "Aquarium", "Pet Food"],
                 tags: ["dog", "cat", "grain-free", "durable", "chew-proof", "small-breed", "natural", "washable"]),
        Category(name: "office", medianPrice: 18, nouns: ["Notebook", "Desk Organizer", "Pen Set", "Chair Mat", "Planner"],
                 tags: ["ergonomic", "recycled", "a5", "refillable", "dotted", "premium", "metal", "colour-coded"]),
        Category(name: "automotive", medianPrice: 38, nouns: ["Dash Cam", "Seat Cover", "Wiper Blades", "Jump Starter", "Car Wax"],
                 tags: ["universal-fit", "heavy-duty", "led", "all-weather", "12v", "quick-install", "synthetic", "suv"]),
        Category(name: "health", medianPrice: 19, nouns: ["Vitamins", "Thermometer", "Massager", "Protein", "First Aid Kit"],
                 tags: ["sugar-free", "plant-based", "daily", "clinically-tested", "digital", "immune", "sleep", "travel"]),
        Category(name: "kitchen", medianPrice: 33, nouns: ["Skillet", "Knife", "Blender", "Kettle", "Cutting Board"],
                 tags: ["stainless", "non-stick", "cast-iron", "dishwasher-safe", "bamboo", "electric", "professional", "induction"]),
        Category(name: "outdoor", medianPrice: 60, nouns: ["Tent", "Sleeping Bag", "Lantern", "Hiking Boots", "Cooler"],
                 tags: ["camping", "hiking", "ultralight", "insulated", "waterproof", "2-person", "trail", "four-season"]),
        Category(name: "baby", medianPrice: 28, nouns: ["Stroller", "Bottle", "Onesie", "Monitor", "Teether"],
                 tags: ["newborn", "bpa-free", "organic-cotton", "foldable", "soft", "hypoallergenic", "0-6m", "travel"]),
        Category(name: "jewelry", medianPrice: 70, nouns: ["Necklace", "Ring", "Bracelet", "Earrings", "Watch"],
                 tags: ["silver", "gold-plated", "minimalist", "gemstone", "handcrafted", "stackable", "vintage", "gift"]),
        Category(name: "tools", medianPrice: 42, nouns: ["Drill", "Screwdriver Set", "Tape Measure", "Wrench", "Tool Box"],
                 tags: ["cordless", "18v", "magnetic", "heavy-duty", "precision", "brushless", "compact", "professional"]),
    ]

    /// The base category of category index `c` (categories beyond the base list reuse it).
    static func base(_ c: Int) -> Category { categories[c % categories.count] }

    /// The name of category `c`: the base name, suffixed `-2`, `-3` … on later rounds.
    static func categoryName(_ c: Int) -> String {
        let round = c / categories.count
        return round == 0 ? categories[c].name : "\(base(c).name)-\(round + 1)"
    }

    static let brandPrefixes = ["Nor", "Al", "Ver", "Kal", "Bri", "Lum", "Oro", "Tes", "Mar", "Zen",
                                "Quo", "Fen", "Hal", "Ira", "Sol", "Dax", "Ely", "Pax", "Rho", "Vin"]
    static let brandSuffixes = ["vik", "zen", "ora", "tek", "lux", "ia", "ano", "ex", "ium", "ant",
                                "co", "well", "line", "ford", "mark", "dale", "sby", "nova", "ix", "sen"]

    /// A unique name for brand `b`.
    static func brandName(_ b: Int) -> String {
        let p = brandPrefixes.count, s = brandSuffixes.count
        let name = brandPrefixes[b % p] + brandSuffixes[(b / p) % s]
        return b < p * s ? name : "\(name) \(b / (p * s) + 1)"
    }

    /// Countries with their share of users.
    static let countries: [(code: String, weight: Double)] = [
        ("US", 30), ("GB", 10), ("DE", 10), ("FR", 8), ("ES", 6), ("IT", 6), ("NL", 4), ("SE", 3),
        ("PL", 4), ("JP", 6), ("BR", 5), ("CA", 4), ("AU", 3), ("IN", 1),
    ]
}
