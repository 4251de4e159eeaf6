"""The organisers' and announcers' download files, one module per file written:
plain_xlsx (any list of sheets), round_xlsx (a round's results, winners, units, questions),
winners_xlsx (the printable winners' list and collective prizes), results_xlsx_csv (a
contest's full results as .xlsx or .csv). Every cell is safe from formula injection."""
