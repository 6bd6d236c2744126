#pragma once
// Word lists of the pizza generator: the upstream producer's pizza, topping
// and shop names, and the en_US lists of gen_pizzas.py's Faker stand-in.

namespace ananas::connectors::datagen::words {

constexpr const char* kPizzaNames[] = {
    "Margherita", "Marinara", "Diavola", "Mari & Monti", "Salami", "Peperoni"};
constexpr const char* kToppings[] = {
    "🍅 tomato", "🧀 blue cheese", "🥚 egg", "🫑 green peppers", "🌶️ hot pepper", "🥓 bacon", "🫒 olives", "🧄 garlic",
    "🐟 tuna", "🧅 onion", "🍍 pineapple", "🍓 strawberry", "🍌 banana"};
constexpr const char* kShops[] = {
    "Marios Pizza", "Luigis Pizza", "Circular Pi Pizzeria", "Ill Make You a Pizza You Cant Refuse", "Mammamia Pizza", "Its-a me! Mario Pizza!"};
constexpr const char* kFirstFemale[] = {
    "Mary", "Patricia", "Jennifer", "Linda", "Elizabeth", "Barbara", "Susan", "Jessica",
    "Sarah", "Karen", "Lisa", "Nancy", "Betty", "Margaret", "Sandra", "Ashley",
    "Kimberly", "Emily", "Donna", "Michelle", "Carol", "Amanda", "Melissa", "Deborah",
    "Stephanie", "Rebecca", "Sharon", "Laura", "Cynthia", "Kathleen", "Amy", "Angela",
    "Shirley", "Anna", "Brenda", "Pamela", "Emma", "Nicole", "Helen", "Samantha",
    "Katherine", "Christine", "Debra", "Rachel", "Carolyn", "Janet", "Catherine", "Maria",
    "Heather", "Diane", "Ruth", "Julie", "Olivia", "Joyce", "Virginia", "Victoria",
    "Kelly", "Lauren"};
constexpr const char* kFirstMale[] = {
    "James", "Robert", "John", "Michael", "David", "William", "Richard", "Joseph",
    "Thomas", "Christopher", "Charles", "Daniel", "Matthew", "Anthony", "Mark", "Donald",
    "Steven", "Paul", "Andrew", "Joshua", "Kenneth", "Kevin", "Brian", "George",
    "Timothy", "Ronald", "Edward", "Jason", "Jeffrey", "Ryan", "Jacob", "Gary",
    "Nicholas", "Eric", "Jonathan", "Stephen", "Larry", "Justin", "Scott", "Brandon",
    "Benjamin", "Samuel", "Gregory", "Alexander", "Frank", "Patrick", "Raymond", "Jack",
    "Dennis", "Jerry", "Tyler", "Aaron", "Jose", "Adam", "Nathan", "Henry",
    "Douglas", "Zachary", "Peter"};
constexpr const char* kLast[] = {
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
    "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas",
    "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White",
    "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young",
    "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
    "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell",
    "Carter", "Roberts", "Gomez", "Phillips", "Evans", "Turner", "Diaz", "Parker",
    "Cruz", "Edwards", "Collins", "Reyes", "Stewart", "Morris", "Morales", "Murphy",
    "Cook", "Rogers", "Gutierrez", "Ortiz", "Morgan", "Cooper", "Peterson", "Bailey",
    "Reed", "Kelly", "Howard", "Ramos", "Kim", "Cox", "Ward", "Richardson",
    "Watson", "Brooks", "Chavez", "Wood", "James", "Bennett", "Gray", "Mendoza",
    "Ruiz", "Hughes", "Price", "Alvarez", "Castillo", "Sanders", "Patel", "Myers",
    "Long", "Ross", "Foster", "Jimenez"};
constexpr const char* kPrefixFemale[] = {
    "Mrs.", "Ms.", "Miss", "Dr."};
constexpr const char* kPrefixMale[] = {
    "Mr.", "Dr."};
constexpr const char* kSuffixFemale[] = {
    "MD", "DDS", "PhD", "DVM"};
constexpr const char* kSuffixMale[] = {
    "Jr.", "Sr.", "I", "II", "III", "IV", "V", "MD",
    "DDS", "PhD", "DVM"};
constexpr const char* kPhoneFormats[] = {
    "$##$######", "$##$######", "$##-$##-####", "$##-$##-####", "($##)$##-####", "($##)$##-####", "$##.$##.####", "$##.$##.####",
    "$##-$##-####x###", "$##-$##-####x####", "$##-$##-####x#####", "($##)$##-####x###", "($##)$##-####x####", "($##)$##-####x#####", "$##.$##.####x###", "$##.$##.####x####",
    "$##.$##.####x#####", "+1-$##-$##-####", "001-$##-$##-####", "+1-$##-$##-####x###", "+1-$##-$##-####x####", "+1-$##-$##-####x#####", "001-$##-$##-####x###", "001-$##-$##-####x####",
    "001-$##-$##-####x#####"};
constexpr const char* kCityPrefix[] = {
    "North", "East", "West", "South", "New", "Lake", "Port"};
constexpr const char* kCitySuffix[] = {
    "town", "ton", "land", "ville", "berg", "burgh", "borough", "bury",
    "view", "port", "mouth", "stad", "furt", "chester", "mouth", "fort",
    "haven", "side", "shire"};
constexpr const char* kStreetSuffix[] = {
    "Alley", "Avenue", "Branch", "Bridge", "Brook", "Burg", "Camp", "Canyon",
    "Cape", "Causeway", "Center", "Circle", "Cliff", "Club", "Common", "Corner",
    "Course", "Court", "Cove", "Creek", "Crescent", "Crest", "Crossing", "Curve",
    "Dale", "Dam", "Divide", "Drive", "Estate", "Expressway", "Extension", "Falls",
    "Ferry", "Field", "Flat", "Ford", "Forest", "Forge", "Fork", "Fort",
    "Freeway", "Garden", "Gateway", "Glen", "Green", "Grove", "Harbor", "Haven",
    "Heights", "Highway", "Hill", "Hollow", "Inlet", "Island", "Isle", "Junction",
    "Key", "Knoll", "Lake", "Land", "Landing", "Lane", "Light", "Loaf",
    "Lock", "Lodge", "Loop", "Mall", "Manor", "Meadow", "Mews", "Mill",
    "Mission", "Motorway", "Mount", "Mountain", "Neck", "Orchard", "Oval", "Overpass",
    "Park", "Parkway", "Pass", "Passage", "Path", "Pike", "Pine", "Place",
    "Plain", "Plaza", "Point", "Port", "Prairie", "Radial", "Ramp", "Ranch",
    "Rapid", "Rest", "Ridge", "River", "Road", "Route", "Row", "Rue",
    "Run", "Shoal", "Shore", "Skyway", "Spring", "Spur", "Square", "Station",
    "Stravenue", "Stream", "Street", "Summit", "Terrace", "Throughway", "Trace", "Track",
    "Trafficway", "Trail", "Tunnel", "Turnpike", "Underpass", "Union", "Valley", "Via",
    "Viaduct", "View", "Village", "Ville", "Vista", "Walk", "Wall", "Way",
    "Well"};
constexpr const char* kStates[] = {
    "AL", "AK", "AS", "AZ", "AR", "CA", "CO", "CT",
    "DE", "DC", "FM", "FL", "GA", "GU", "HI", "ID",
    "IL", "IN", "IA", "KS", "KY", "LA", "ME", "MH",
    "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE",
    "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "MP",
    "OH", "OK", "OR", "PW", "PA", "PR", "RI", "SC",
    "SD", "TN", "TX", "UT", "VT", "VI", "VA", "WA",
    "WV", "WI", "WY"};

}  // namespace ananas::connectors::datagen::words
