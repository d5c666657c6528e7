"""Name lists for the synthetic demo authority.

Common given names and surnames, combined at random: no person in the demo is real, and no
combination is taken from any real record."""

GIVEN_NAMES_FEMALE = (
    "Aaliyah", "Abigail", "Aisha", "Alice", "Amara", "Amelia", "Amina", "Ava", "Bethany", "Chloe",
    "Daisy", "Eleanor", "Ella", "Ellie", "Emily", "Erin", "Esme", "Eva", "Evie", "Fatima",
    "Florence", "Freya", "Grace", "Hannah", "Harper", "Imogen", "Isabella", "Isla", "Ivy", "Jasmine",
    "Keira", "Layla", "Leah", "Lily", "Lola", "Lucy", "Maisie", "Maryam", "Maya", "Mia",
    "Millie", "Molly", "Nadia", "Niamh", "Olivia", "Phoebe", "Poppy", "Priya", "Rosie", "Ruby",
    "Scarlett", "Sienna", "Sofia", "Sophie", "Summer", "Tia", "Willow", "Zara", "Zainab", "Zoe",
)  # fmt: skip

GIVEN_NAMES_MALE = (
    "Aaron", "Adam", "Alfie", "Archie", "Arlo", "Arthur", "Ayaan", "Ben", "Callum", "Charlie",
    "Connor", "Daniel", "David", "Dylan", "Elijah", "Ethan", "Finley", "Freddie", "George", "Harrison",
    "Harry", "Harvey", "Henry", "Hugo", "Ibrahim", "Isaac", "Jack", "Jacob", "Jake", "James",
    "Jayden", "Joseph", "Joshua", "Kai", "Kian", "Leo", "Liam", "Logan", "Louis", "Lucas",
    "Luke", "Mason", "Max", "Mohammed", "Muhammad", "Noah", "Oliver", "Oscar", "Reggie", "Reuben",
    "Riley", "Ryan", "Samuel", "Sebastian", "Stanley", "Theo", "Thomas", "Tobias", "Tyler", "Yusuf",
)  # fmt: skip

# Adults: the staff. Older given names sit beside younger ones.
GIVEN_NAMES_ADULT = (
    "Alison", "Andrew", "Angela", "Anita", "Ben", "Bernadette", "Carl", "Caroline", "Catherine", "Chris",
    "Claire", "Colin", "Dawn", "Deborah", "Declan", "Dev", "Donna", "Elaine", "Emma", "Fiona",
    "Gareth", "Gemma", "Graham", "Hayley", "Helen", "Ian", "Imran", "Jane", "Jason", "Jenny",
    "Joanne", "Jonathan", "Julie", "Karen", "Kate", "Kerry", "Kwame", "Laura", "Lee", "Lindsey",
    "Lorraine", "Mark", "Martin", "Michelle", "Naomi", "Neil", "Nicola", "Olu", "Paul", "Rachel",
    "Rebecca", "Richard", "Rob", "Ruth", "Sadia", "Sally", "Sam", "Sarah", "Shabana", "Simon",
    "Stephen", "Steve", "Tanya", "Tom", "Tracey", "Vicky", "Wendy", "Yvonne", "Zoe", "Zubair",
)  # fmt: skip

SURNAMES = (
    "Adams", "Ahmed", "Akhtar", "Ali", "Allen", "Anderson", "Armstrong", "Atkinson", "Bailey", "Baker",
    "Barker", "Bell", "Bennett", "Brooks", "Brown", "Butler", "Campbell", "Carter", "Chapman", "Clarke",
    "Cole", "Collins", "Cook", "Cooper", "Cox", "Davies", "Dixon", "Doherty", "Edwards", "Ellis",
    "Evans", "Fisher", "Fletcher", "Foster", "Fox", "Gibson", "Graham", "Grant", "Gray", "Green",
    "Griffiths", "Hall", "Harris", "Harrison", "Hart", "Hill", "Holmes", "Hughes", "Hunt", "Hussain",
    "Jackson", "James", "Jenkins", "Johnson", "Jones", "Kaur", "Kelly", "Khan", "King", "Knight",
    "Lee", "Lewis", "Lloyd", "Marshall", "Martin", "Mason", "Matthews", "Mills", "Mitchell", "Moore",
    "Morgan", "Morris", "Murphy", "Murray", "Nelson", "Nowak", "O'Brien", "Okafor", "Owen", "Palmer",
    "Parker", "Patel", "Pearson", "Phillips", "Price", "Rahman", "Reid", "Richards", "Roberts", "Robinson",
    "Rogers", "Rose", "Russell", "Scott", "Shah", "Shaw", "Simpson", "Singh", "Smith", "Stevens",
    "Stewart", "Taylor", "Thomas", "Thompson", "Turner", "Walker", "Ward", "Watson", "Webb", "Wells",
    "White", "Wilkinson", "Williams", "Wilson", "Wood", "Wright", "Young", "Yusuf",
)  # fmt: skip
