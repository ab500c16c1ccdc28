# Turns data/landclass*.csv (code,name_zh,name_en,level1,three_class,is_wetland), sorted by
# code in the C locale, into the C table src/landclass.c searches.  Run by the Makefile.
BEGIN {
	FS = ","
	tc["农用地"] = "LC_AGRICULTURAL"; tc["建设用地"] = "LC_CONSTRUCTION"; tc["未利用地"] = "LC_UNUSED"; tc[""] = "LC_MIXED"
	print "/* Generated from data/landclass.csv and data/landclass_extra.csv by scripts/landclass_data.awk; do not edit. */"
	print "static const LandClassEntry landclass_table[] = {"
}
$1 == "code" { next }
NF != 6 { print "bad row in landclass data: " $0 > "/dev/stderr"; exit 1 }
!($5 in tc) { print "unknown three_class '" $5 "' for " $1 > "/dev/stderr"; exit 1 }
{
	printf "\t{\"%s\", \"%s\", \"%s\", \"%s\", %s, %s},\n", $1, $2, $3, $4, tc[$5], ($6 == "true" ? "true" : "false")
}
END { print "};" }
