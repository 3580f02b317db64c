package adsim

import (
	"strings"
	"unicode"
)

// Names for generated people: an international mix, some with diacritics.
var (
	firstNames = []string{
		"Anna", "Ben", "Carla", "David", "Elena", "Felix", "Grace", "Hugo", "Ines", "Jonas",
		"Karin", "Liam", "Maria", "Noah", "Olivia", "Paul", "Quentin", "Rosa", "Samuel", "Tanja",
		"Uwe", "Vera", "William", "Xenia", "Yusuf", "Zara", "Aisha", "Björn", "Chloé", "Dmitri",
		"Emma", "Fatima", "Giulia", "Hannah", "Ivan", "Jürgen", "Kenji", "Lena", "Mateo", "Nina",
		"Omar", "Priya", "Raúl", "Sofia", "Thomas", "Ursula", "Viktor", "Wei", "Yara", "Zoltán",
		"Agnieszka", "Bruno", "Camille", "Daniel", "Eva", "Frank", "Greta", "Henrik", "Isabel", "James",
	}
	lastNames = []string{
		"Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Garcia", "Rodriguez", "Wilson",
		"Martinez", "Anderson", "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White",
		"Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch",
		"Dubois", "Lefèvre", "Moreau", "Laurent", "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano",
		"Kowalski", "Nowak", "Wiśniewski", "Novák", "Svoboda", "Nagy", "Kovács", "Jensen", "Nielsen", "Hansen",
		"Johansson", "Andersson", "Virtanen", "Korhonen", "Ivanov", "Petrov", "Popescu", "García", "Fernández", "López",
		"Silva", "Santos", "Oliveira", "Yilmaz", "Kaya", "Khan", "Patel", "Singh", "Tanaka", "Suzuki",
		"Kim", "Park", "Chen", "Wang", "Nguyen", "O'Connor", "MacDonald", "Van der Berg", "De Vries", "Ólafsson",
	}
	departments = []string{
		"Sales", "Engineering", "Operations", "Finance", "Customer Support", "Marketing", "Human Resources", "Legal", "IT",
	}
	titles = map[string][]string{
		"Sales":            {"Account Manager", "Sales Representative", "Head of Sales"},
		"Engineering":      {"Software Engineer", "Senior Engineer", "Engineering Manager"},
		"Operations":       {"Operations Analyst", "Logistics Coordinator", "Plant Supervisor"},
		"Finance":          {"Accountant", "Financial Analyst", "Controller"},
		"Customer Support": {"Support Agent", "Support Team Lead"},
		"Marketing":        {"Marketing Specialist", "Content Manager"},
		"Human Resources":  {"HR Generalist", "Recruiter"},
		"Legal":            {"Counsel", "Paralegal"},
		"IT":               {"Systems Administrator", "Service Desk Analyst", "Network Engineer"},
	}
)

// specialPerson is a hand-written account that tests encodings end to end:
// non-ASCII names, DN escaping (a comma, '<', '>', '&') and CJK text.
type specialPerson struct {
	given, sn, display string
	sam, mail          string // mail: local part, or a whole address
	department         string
	role               personRole
}

type personRole uint8

const (
	roleStaff personRole = iota
	roleContractor
	roleRDS     // direct member of RDS Users, per-user RDS CAL issued
	roleRemote  // member of Remote Workers (nested in RDS Users)
	roleAppUser // direct member of App Users
	roleITAdmin // member of IT Admins (nested in Domain Admins)
	roleVPN     // member of VPN Users
)

var specialPeople = []specialPerson{
	{"José", "Müller", "José Müller", "jmuller", "jose.muller", "Sales", roleRDS},
	{"Zoë", "O'Brien-Łukasz", "Zoë O'Brien-Łukasz", "zobrien-lukasz", "zoe.obrien-lukasz", "Engineering", roleRemote},
	{"François", "d'Aubigné", "François d'Aubigné", "fdaubigne", "francois.daubigne", "Legal", roleAppUser},
	{"", "", "Smith & Sons <Ltd>", "smithsons", "office@smith-sons.example", "", roleContractor},
	{"Thị Hương", "Nguyễn", "Nguyễn, Thị Hương", "tnguyen", "huong.nguyen", "Finance", roleVPN},
	{"小明", "王", "王小明", "xwang", "xiaoming.wang", "Engineering", roleStaff},
}

// asciiFold spells a name in lower-case ASCII for account names and mail
// addresses: diacritics dropped, other letters transliterated, keep limits
// what survives besides letters and digits.
func asciiFold(s, keep string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		case strings.ContainsRune(keep, r):
			b.WriteRune(r)
		default:
			if t, ok := foldTable[r]; ok {
				b.WriteString(t)
			}
		}
	}
	return b.String()
}

var foldTable = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'ą': "a", 'ă': "a",
	'ç': "c", 'ć': "c", 'č': "c", 'ď': "d", 'đ': "d",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ę': "e", 'ě': "e", 'ễ': "e", 'ế': "e",
	'ì': "i", 'í': "i", 'î': "i", 'ï': "i", 'ị': "i", 'ł': "l",
	'ñ': "n", 'ń': "n", 'ň': "n", 'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'ő': "o",
	'ř': "r", 'ś': "s", 'š': "s", 'ș': "s", 'ß': "ss", 'ť': "t", 'ț': "t",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ů': "u", 'ű': "u", 'ư': "u", 'ơ': "o",
	'ý': "y", 'ÿ': "y", 'ź': "z", 'ż': "z", 'ž': "z", 'æ': "ae", 'œ': "oe",
}
