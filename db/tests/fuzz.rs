//! Every parser of uploaded bytes on generated input (issue #14): the roster
//! readers (CSV in UTF-8 or GBK, XLSX) and the document checks never panic,
//! and what they accept is bounded. No database: the readers are pure.
//! Budget: 256 cases per property (README "Fuzzing budget").

#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers panic on failure by design

mod common;

use common::workbook;
use db::documents::{check, check_claim, claimed_type, sniff};
use db::roster::{read_file, Table, MAX_COLUMNS, MAX_ROWS};
use proptest::prelude::*;

fn bounded(table: &Table) -> bool {
    table.rows.len() <= MAX_ROWS
        && table.header.len() <= MAX_COLUMNS as usize
        && table
            .rows
            .iter()
            .all(|r| r.cells.len() <= MAX_COLUMNS as usize)
}

/// Text made of what CSV files are made of, in any order.
fn csv_like() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            ",",
            "\n",
            "\r\n",
            "\"",
            "\t",
            "a",
            "1",
            " ",
            "身份证号",
            "姓名",
            "152201200712231473",
            "\u{feff}",
            "王",
        ]),
        0..200,
    )
    .prop_map(|parts| parts.concat())
}

fn magic() -> impl Strategy<Value = Vec<u8>> {
    prop::sample::select(vec![
        vec![0xFF, 0xD8, 0xFF],
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec(),
        b"%PDF-".to_vec(),
        b"RIFF\0\0\0\0WEBPVP8X".to_vec(),
        Vec::new(),
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_bytes_are_read_or_refused_never_a_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(table) = read_file(&bytes) {
            prop_assert!(bounded(&table));
        }
    }

    #[test]
    fn csv_like_text_is_read_or_refused_and_bounded(text in csv_like(), gbk in any::<bool>()) {
        let bytes = if gbk {
            encoding_rs::GBK.encode(&text).0.into_owned()
        } else {
            text.into_bytes()
        };
        if let Ok(table) = read_file(&bytes) {
            prop_assert!(bounded(&table));
        }
    }

    #[test]
    fn a_damaged_workbook_is_read_or_refused(
        hits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
    ) {
        let rows = vec![
            vec!["身份证号".to_string(), "姓名".to_string()],
            vec!["152201200712231473".to_string(), "王小明".to_string()],
        ];
        let mut bytes = workbook::xlsx(&rows);
        for (at, b) in hits {
            let i = at.index(bytes.len());
            bytes[i] = b;
        }
        bytes.truncate(cut.index(bytes.len()) + 1);
        if let Ok(table) = read_file(&bytes) {
            prop_assert!(bounded(&table));
        }
    }

    #[test]
    fn document_checks_are_consistent_on_any_bytes(
        head in magic(),
        tail in prop::collection::vec(any::<u8>(), 0..512),
        claimed in prop::sample::select(vec![Some("photo.jpg"), Some("photo.png"), Some("scan.pdf"), None]),
    ) {
        let bytes = [head, tail].concat();
        let max = 10 * 1024 * 1024;
        let first = check(&bytes, max).map_err(|e| e.code());
        prop_assert_eq!(&first, &check(&bytes, max).map_err(|e| e.code()));
        // Accepted bytes are of the type their magic says.
        if let Ok(kind) = first {
            prop_assert_eq!(Some(kind), sniff(&bytes));
        }
        let said = claimed_type(None, claimed);
        match check_claim(&bytes, said) {
            Ok(()) => prop_assert!(sniff(&bytes).is_none() || said.is_none() || sniff(&bytes) == said),
            Err(e) => {
                prop_assert_eq!(e.code(), "document_type_mismatch");
                prop_assert!(sniff(&bytes).is_some() && said.is_some() && sniff(&bytes) != said);
            }
        }
    }
}
