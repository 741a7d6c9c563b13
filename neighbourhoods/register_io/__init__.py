"""Import and export of a community's register as a roll file (名册导入导出).

The package is named for what it reads and writes: the register (people, households,
exclusive parts, residencies, ownerships), not a voter roll (`neighbourhoods.rolls`
counts those from the register). The file is what staff call a 名册, hence
`roll_import`, `roll_export` and `manage.py import_roll`.

- reading: `reading` (file -> table), `parsing` (cells), `rows` (a row -> `Row`);
- planning: `existing` (the register as it stands), `planning` (what each row changes);
- writing: `writing` (the pending writes, saved in order);
- `services.roll_import` (the service), `selectors` and `exports.roll_export` (the
  export), `report` (what an import found), `admin_views` (the admin's two pages).

File format (full description with examples: docs/roll-format.md)
------------------------------------------------------------------
CSV (UTF-8 with or without BOM, or GB18030; comma- or tab-separated) or XLSX (first
sheet). The header row is one of the first ten non-empty rows and must contain 姓名;
English aliases are accepted (name, id_number, phone, building, …); unknown columns are
ignored and listed in the report. One row per person:

  姓名* 身份证号 出生日期 手机号
  小区 楼栋 单元 房号 房屋类型 登记面积(㎡) 实测面积(㎡) 合同面积(㎡)
  户号 居民小组 居住类型 户代表
  产权人 产权依据 共有人表决人

- Identity: a person is the keyed hash of the ID number (GB 11643 checksum checked);
  without an ID number, the person is found by 户号 + 姓名 (or owned dwelling + 姓名)
  among this community's people, else created. An export's masked ID
  (**************1234) matches that way too when the last four agree. An ID number
  registered to a person of another community is an error (that community moves them).
- Places: the 小区 must belong to the community (may be left out when it has only one),
  the 楼栋 must already exist in it and belong to the community (else "unknown
  building"); 单元 and 房号 are created as needed. Areas: m² with at most two decimals,
  stored exactly as integer 0.01 m².
- Household by (community, 户号); with a 户号, 居住类型 (户籍/常住) is required and the
  row's 住宅 is the household's dwelling. 户代表 and 共有人表决人: at most one per
  household / dwelling. 产权人=是 records a current ownership of the row's dwelling.
- A blank cell states nothing: it never clears a stored value (except the 是/否
  columns, where blank is 否). The import never ends a residency or an ownership and
  never deletes anything.

Processing: every row is validated and every error collected (row number as the
spreadsheet shows it, column header, reason in Chinese then English; no message quotes
an ID or phone number). A dry run stops there and writes nothing. A real import
re-validates inside one transaction and writes everything or nothing; re-importing the
same file changes nothing and records no batch; a changed file updates only the
changed fields.
"""
