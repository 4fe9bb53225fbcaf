//! The demo's claims (RULES.md §5–7), through the same services the pages
//! use: emergency reports, prior approvals asked for, granted and refused,
//! and claims of every kind in every state — waiting for the first review
//! with their photos, waiting for the second, approved and waiting for a
//! payment run, refused (care while lapsed, an emergency never reported, a
//! transfer never approved, false receipts and the suspension that follows)
//! and paid in runs prepared by one league user and released by another.
//!
//! The elders of the history household (`resident2`) carry the 2009–2010
//! claims; a grandchild at school the 2026 ones. 王秀兰 (`resident1`) only
//! gets her insulin treatment approved: her own 2026 claim is the
//! end-to-end test's to file.

use chrono::NaiveDate;
use db::accounts::NewUser;
use db::audit::By;
use db::claims::{
    self, ApprovalKind, FilingAgent, FirstReview, NewApproval, NewClaim, NewEmergencyReport,
    ReviewFacts,
};
use db::documents::Store;
use db::enrolment::Status;
use db::scope::Role;
use db::{Actor, Db};
use policy::benefit::{ClaimKind, Disease, HospitalGrade};
use policy::money::Money;
use policy::params::Rules;
use policy::payment_run::RunKind;

use super::league::{at, day, enrol, err, facts, id_number, Agents, History, Kind};
use super::DEMO_PASSWORD;

/// Phone photos are a few MB; the demo's are tiny but real images.
const MAX_UPLOAD: usize = 10 * 1024 * 1024;

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &x in bytes {
        a = (a + u32::from(x)) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend((data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend(kind);
    out.extend(data);
    let crc = crc32(&out[start..]);
    out.extend(crc.to_be_bytes());
}

/// A small PNG that any viewer opens: a pale sheet with ruled lines, its tint
/// from `seed` so that every document of the demo has its own bytes.
pub fn photo(seed: u32) -> Vec<u8> {
    const W: usize = 48;
    const H: usize = 32;
    let tint = [
        200 + (seed * 7 % 50) as u8,
        200 + (seed * 13 % 50) as u8,
        200 + (seed * 29 % 50) as u8,
    ];
    let mut raw = Vec::with_capacity(H * (1 + 3 * W));
    for y in 0..H {
        raw.push(0); // no filter
        for x in 0..W {
            let line = y % 4 == 3 && (4..W - 4).contains(&x);
            // The top row carries the seed's bits: thousands of photos, no two alike.
            let bit = y == 0 && x < 32 && (seed >> x) & 1 == 1;
            raw.extend(if line || bit { [90, 90, 110] } else { tint });
        }
    }
    // zlib with one stored deflate block: valid, and small enough not to need compressing.
    let mut z = vec![0x78, 0x01, 0x01];
    let len = raw.len() as u16;
    z.extend(len.to_le_bytes());
    z.extend((!len).to_le_bytes());
    z.extend(&raw);
    z.extend(adler32(&raw).to_be_bytes());
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend((W as u32).to_be_bytes());
    ihdr.extend((H as u32).to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]); // 8-bit RGB
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(&mut png, b"IDAT", &z);
    chunk(&mut png, b"IEND", &[]);
    png
}

async fn actor(db: &Db, username: &str) -> anyhow::Result<Actor> {
    let id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_one(&db.pool)
        .await?;
    db::accounts::actor_by_id(db, id)
        .await
        .map_err(err)?
        .ok_or_else(|| anyhow::anyhow!("demo account {username}"))
}

/// Who files and how the money comes back: the person's own account.
pub(super) struct Payee {
    pub(super) agent: FilingAgent,
    pub(super) account: String,
}

/// Files, reviews and pays claims as the pages do; `resident` files, `first`
/// and `second` review.
pub(super) struct Demo<'a> {
    pub(super) db: &'a Db,
    pub(super) rules: &'a Rules,
    pub(super) store: &'a Store,
    pub(super) resident: Actor,
    pub(super) first: &'a Actor,
    pub(super) second: &'a Actor,
    pub(super) photos: u32,
    pub(super) keys: u32,
}

/// One claim as the resident fills in the form.
pub(super) struct Form<'a> {
    pub(super) person: i64,
    pub(super) payee: &'a Payee,
    pub(super) kind: ClaimKind,
    pub(super) care: (NaiveDate, NaiveDate),
    pub(super) hospital: &'a str,
    pub(super) grade: HospitalGrade,
    pub(super) billed: i64,
    pub(super) disease: Option<Disease>,
}

fn d(s: &str) -> anyhow::Result<NaiveDate> {
    Ok(s.parse()?)
}

/// The days of care from and to, as the demo writes them.
fn span(from: &str, to: &str) -> (NaiveDate, NaiveDate) {
    (
        from.parse().unwrap_or_default(),
        to.parse().unwrap_or_default(),
    )
}

impl Demo<'_> {
    /// Files the claim on `filed_on` with a photo of every document its kind needs.
    async fn file(&mut self, f: &Form<'_>, filed_on: &str) -> anyhow::Result<String> {
        self.file_on(f, d(filed_on)?).await
    }

    pub(super) async fn file_on(
        &mut self,
        f: &Form<'_>,
        filed_on: NaiveDate,
    ) -> anyhow::Result<String> {
        self.keys += 1;
        let c = NewClaim {
            person_id: f.person,
            kind: f.kind,
            care_from: f.care.0,
            care_to: f.care.1,
            hospital: f.hospital.into(),
            hospital_grade: f.grade,
            billed: Money::from_yuan(f.billed),
            disease: f.disease,
            agent: f.payee.agent.clone(),
            bank_account: f.payee.account.clone(),
            account_name: f.payee.agent.name.clone(),
            request_key: format!("demo-claim-{:04}", self.keys),
        };
        let claim = claims::file(self.db, &self.resident, c, filed_on)
            .await
            .map_err(err)?;
        for kind in claims::required_documents(f.kind) {
            self.photos += 1;
            claims::attach_document(
                self.db,
                self.store,
                &self.resident,
                &claim.number,
                kind,
                photo(self.photos),
                MAX_UPLOAD,
            )
            .await
            .map_err(err)?;
        }
        Ok(claim.number)
    }

    /// The first review: the in-catalogue part as the reviewer checked it.
    pub(super) async fn first_review(
        &self,
        number: &str,
        in_catalogue: i64,
        grade: HospitalGrade,
    ) -> anyhow::Result<()> {
        let r = FirstReview {
            facts: ReviewFacts {
                in_catalogue: Money::from_yuan(in_catalogue),
                hospital_grade: grade,
                cause: None,
                minor_blood_disease: false,
                earlier_admissions: 0,
            },
            documents_false: false,
            note: String::new(),
        };
        claims::first_review(self.db, self.first, number, r)
            .await
            .map_err(err)?;
        Ok(())
    }

    /// The second review by the other reviewer: the policy engine decides.
    async fn decide(&self, number: &str, on: &str) -> anyhow::Result<claims::Claim> {
        self.decide_on(number, d(on)?).await
    }

    pub(super) async fn decide_on(
        &self,
        number: &str,
        on: NaiveDate,
    ) -> anyhow::Result<claims::Claim> {
        claims::second_review(self.db, self.rules, self.second, number, true, "", on)
            .await
            .map_err(err)
    }

    /// Filed, reviewed twice, decided.
    async fn decided(
        &mut self,
        f: &Form<'_>,
        filed_on: &str,
        in_catalogue: i64,
        decided_on: &str,
    ) -> anyhow::Result<claims::Claim> {
        let number = self.file(f, filed_on).await?;
        self.first_review(&number, in_catalogue, f.grade).await?;
        self.decide(&number, decided_on).await
    }

    async fn report(
        &self,
        person: i64,
        kind: ClaimKind,
        occurred: &str,
        hospital: &str,
        reported: &str,
    ) -> anyhow::Result<()> {
        self.report_on(person, kind, d(occurred)?, hospital, d(reported)?)
            .await
    }

    pub(super) async fn report_on(
        &self,
        person: i64,
        kind: ClaimKind,
        occurred: NaiveDate,
        hospital: &str,
        reported: NaiveDate,
    ) -> anyhow::Result<()> {
        let r = NewEmergencyReport {
            person_id: person,
            kind,
            occurred_on: occurred,
            hospital: hospital.into(),
            note: "夜间急诊,家属陪同".into(),
        };
        claims::report_emergency(self.db, self.rules, &self.resident, r, reported)
            .await
            .map_err(err)?;
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn approval(
        &self,
        resident: &Actor,
        person: i64,
        kind: ApprovalKind,
        disease: Option<Disease>,
        hospital: &str,
        reason: &str,
        care_on: &str,
        asked_on: &str,
    ) -> anyhow::Result<i64> {
        let a = NewApproval {
            person_id: person,
            kind,
            disease,
            hospital: hospital.into(),
            reason: reason.into(),
            amount: None,
            emergency: false,
            care_on: d(care_on)?,
        };
        self.ask(resident, a, d(asked_on)?).await
    }

    /// Asks for a prior approval on `asked_on`, as `resident`.
    pub(super) async fn ask(
        &self,
        resident: &Actor,
        a: NewApproval,
        asked_on: NaiveDate,
    ) -> anyhow::Result<i64> {
        Ok(
            claims::request_approval(self.db, self.rules, resident, a, asked_on)
                .await
                .map_err(err)?
                .id,
        )
    }

    /// A run of the window the claim waits for: prepared by one league
    /// user, released by another.
    async fn pay(
        &self,
        claim: &claims::Claim,
        preparer: &Actor,
        releaser: &Actor,
    ) -> anyhow::Result<()> {
        let kind = RunKind::for_claim(claim.kind);
        let window = claim
            .run_window_start
            .ok_or_else(|| anyhow::anyhow!("claim {} is not approved", claim.number))?;
        let run = db::payment_runs::prepare(self.db, self.rules, preparer, kind, window)
            .await
            .map_err(err)?;
        // The demo's history: released on its window's first day.
        db::payment_runs::release(self.db, releaser, &run.number, window)
            .await
            .map_err(err)?;
        Ok(())
    }
}

const XAM: &str = "兴安盟人民医院";
const ULH: &str = "乌兰浩特市人民医院";
const BJ: &str = "北京大学第一医院";
const SY: &str = "沈阳市第四人民医院(非定点)";
const CLINIC: &str = "乌兰浩特市和平街道社区卫生服务中心";

/// Builds the claims. Does nothing when claims exist already.
pub async fn claims(
    db: &Db,
    rules: &Rules,
    store: &Store,
    a: &Agents,
    h: &History,
    wang: i64,
) -> anyhow::Result<()> {
    let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM claims")
        .fetch_one(&db.pool)
        .await?;
    if existing > 0 {
        return Ok(());
    }
    let admin = actor(db, "admin").await?;
    let office = &a.office1;

    // The grandchild at school, enrolled by the school for 2026 and paid in
    // cash there (declared the next day): a student accident needs a pupil.
    let born = day(2011, 5, 20);
    let pupil_id = id_number("152201", born, 777, true);
    let mut f = facts(&pupil_id, born, true, Kind::Child);
    f["in_school"] = serde_json::json!(true);
    let pupil = db::households::add_person(
        db,
        By::User(office),
        &pupil_id,
        "赵子涵",
        Some(h.household),
        a.school1.org_code.as_deref(),
        &f,
    )
    .await
    .map_err(err)?;
    let e = enrol(
        db,
        rules,
        &a.school1,
        &a.reviewer1,
        pupil,
        2026,
        Status::Approved,
    )
    .await?;
    let notice = db::notices::for_enrolment(db, rules, &a.school1, e)
        .await
        .map_err(err)?;
    db::payments::record_cash(
        db,
        rules,
        &a.school1,
        &notice.number,
        "demo-claims-pupil-2026",
        at(day(2026, 3, 5), 10, 0),
    )
    .await
    .map_err(err)?;
    db::declarations::declare(db, &a.school1, at(day(2026, 3, 6), 16, 0), None)
        .await
        .map_err(err)?;

    // The history household's own log-in: the claims are theirs to file.
    db::accounts::create_user(
        db,
        By::System("seed-demo"),
        NewUser {
            username: "resident2".into(),
            display_name: "张桂芳".into(),
            password: DEMO_PASSWORD.into(),
            role: Role::Resident,
            org_code: None,
            household_id: Some(h.household),
        },
    )
    .await
    .map_err(err)?;
    let resident = actor(db, "resident2").await?;
    let person_id = |id: i64| async move {
        sqlx::query_scalar::<_, String>("SELECT id_number FROM persons WHERE id = $1")
            .bind(id)
            .fetch_one(&db.pool)
            .await
    };
    let payee = |name: &str, id: String, relation: &str, account: &str| Payee {
        agent: FilingAgent {
            name: name.into(),
            id_number: id,
            relation: relation.into(),
        },
        account: account.into(),
    };
    let zhang = payee(
        "张桂芳",
        person_id(h.zhang).await?,
        "self",
        "6228480060012345671",
    );
    let zhao = payee(
        "赵德胜",
        person_id(h.zhao).await?,
        "self",
        "6228480060012345689",
    );
    let sun = payee(
        "孙丽",
        person_id(h.sun).await?,
        "self",
        "6217000060012345697",
    );
    // The grandmother files for the pupil, to her own account.
    let for_pupil = payee(
        "孙丽",
        person_id(h.sun).await?,
        "relative",
        "6217000060012345697",
    );

    let mut demo = Demo {
        db,
        rules,
        store,
        resident,
        first: &a.reviewer1,
        second: &a.reviewer2,
        photos: 0,
        keys: 0,
    };
    let resident = demo.resident.clone();
    let decide_approval = |id: i64, yes: bool, note: &'static str| async move {
        claims::decide_approval(db, &a.reviewer1, id, yes, note)
            .await
            .map_err(err)
    };

    // --- 2009 --------------------------------------------------------------
    // 孙丽's insulin treatment, approved before it starts (M23); her monthly
    // claims are paid in the special-disease runs of June and July.
    let ok = demo
        .approval(
            &resident,
            h.sun,
            ApprovalKind::SpecialDisease,
            Some(Disease::DiabetesInsulin),
            XAM,
            "2型糖尿病,需胰岛素治疗",
            "2009-05-01",
            "2009-04-25",
        )
        .await?;
    decide_approval(ok, true, "同意门诊胰岛素治疗").await?;
    let special = |care: (&'static str, &'static str), billed| Form {
        person: h.sun,
        payee: &sun,
        kind: ClaimKind::SpecialOutpatient,
        care: span(care.0, care.1),
        hospital: XAM,
        grade: HospitalGrade::Three,
        billed,
        disease: Some(Disease::DiabetesInsulin),
    };
    let may = demo
        .decided(
            &special(("2009-05-01", "2009-05-31"), 1800),
            "2009-06-01",
            1500,
            "2009-06-02",
        )
        .await?;
    demo.pay(&may, &admin, &a.reviewer2).await?;
    let june = demo
        .decided(
            &special(("2009-06-01", "2009-06-30"), 1650),
            "2009-07-01",
            1400,
            "2009-07-02",
        )
        .await?;
    demo.pay(&june, &a.reviewer2, &admin).await?;

    // 赵德胜's transfer to Beijing, approved beforehand (M18), and an
    // outpatient rescue reported the next day (M22): paid in December's run.
    let ok = demo
        .approval(
            &resident,
            h.zhao,
            ApprovalKind::Transfer,
            None,
            BJ,
            "冠心病,本地无法行支架手术",
            "2009-09-01",
            "2009-08-20",
        )
        .await?;
    decide_approval(ok, true, "同意转诊").await?;
    let transfer = demo
        .decided(
            &Form {
                person: h.zhao,
                payee: &zhao,
                kind: ClaimKind::Transfer,
                care: span("2009-09-01", "2009-09-15"),
                hospital: BJ,
                grade: HospitalGrade::Three,
                billed: 12_000,
                disease: None,
            },
            "2009-09-25",
            9800,
            "2009-11-20",
        )
        .await?;
    demo.report(
        h.zhao,
        ClaimKind::OutpatientEmergency,
        "2009-11-01",
        ULH,
        "2009-11-02",
    )
    .await?;
    demo.decided(
        &Form {
            person: h.zhao,
            payee: &zhao,
            kind: ClaimKind::OutpatientEmergency,
            care: span("2009-11-01", "2009-11-01"),
            hospital: ULH,
            grade: HospitalGrade::Two,
            billed: 2600,
            disease: None,
        },
        "2009-11-10",
        2100,
        "2009-11-20",
    )
    .await?;
    demo.pay(&transfer, &admin, &a.reviewer1).await?;

    // --- 2010 --------------------------------------------------------------
    // An outpatient rescue never reported within the 3 days (M22): refused.
    demo.decided(
        &Form {
            person: h.sun,
            payee: &sun,
            kind: ClaimKind::OutpatientEmergency,
            care: span("2010-02-14", "2010-02-14"),
            hospital: ULH,
            grade: HospitalGrade::Two,
            billed: 900,
            disease: None,
        },
        "2010-02-25",
        700,
        "2010-03-01",
    )
    .await?;
    // 张桂芳 asks to be transferred; the agency says it can be treated here.
    let no = demo
        .approval(
            &resident,
            h.zhang,
            ApprovalKind::Transfer,
            None,
            BJ,
            "腰椎间盘突出,希望去北京治疗",
            "2010-03-01",
            "2010-02-20",
        )
        .await?;
    decide_approval(no, false, "本地三级医院可以治疗,不予转诊").await?;
    // 孙丽's March insulin: paid in April's special-disease run.
    let march = demo
        .decided(
            &special(("2010-03-01", "2010-03-31"), 1300),
            "2010-04-01",
            1200,
            "2010-04-02",
        )
        .await?;
    demo.pay(&march, &a.reviewer1, &admin).await?;
    // Her April month: filed with its photos, not yet looked at.
    demo.file(&special(("2010-04-01", "2010-04-30"), 1250), "2010-05-03")
        .await?;
    // A transfer nobody approved (M18): refused.
    demo.decided(
        &Form {
            person: h.sun,
            payee: &sun,
            kind: ClaimKind::Transfer,
            care: span("2010-05-10", "2010-05-20"),
            hospital: BJ,
            grade: HospitalGrade::Three,
            billed: 8000,
            disease: None,
        },
        "2010-05-28",
        6500,
        "2010-06-01",
    )
    .await?;
    // 张桂芳 never paid for 2010: emergency care in June, while her cover is
    // interrupted (E8), is refused although she reported it in time.
    demo.report(
        h.zhang,
        ClaimKind::NondesignatedEmergency,
        "2010-06-10",
        SY,
        "2010-06-11",
    )
    .await?;
    demo.decided(
        &Form {
            person: h.zhang,
            payee: &zhang,
            kind: ClaimKind::NondesignatedEmergency,
            care: span("2010-06-10", "2010-06-18"),
            hospital: SY,
            grade: HospitalGrade::Two,
            billed: 7600,
            disease: None,
        },
        "2010-06-25",
        6100,
        "2010-07-01",
    )
    .await?;
    // Receipts found forged at the first review (M29): the whole claim is
    // refused and her benefits are suspended for 12 months.
    let forged = demo
        .file(
            &Form {
                person: h.zhang,
                payee: &zhang,
                kind: ClaimKind::Transfer,
                care: span("2010-03-01", "2010-03-09"),
                hospital: BJ,
                grade: HospitalGrade::Three,
                billed: 15_000,
                disease: None,
            },
            "2010-07-05",
        )
        .await?;
    claims::first_review(
        db,
        demo.first,
        &forged,
        FirstReview {
            facts: ReviewFacts {
                in_catalogue: Money::from_yuan(12_000),
                hospital_grade: HospitalGrade::Three,
                cause: None,
                minor_blood_disease: false,
                earlier_admissions: 0,
            },
            documents_false: true,
            note: "收据号码与医院记录不符,系伪造".into(),
        },
    )
    .await
    .map_err(err)?;
    demo.decide(&forged, "2010-07-15").await?;
    // 赵德胜 back-paid 2010 in July: an emergency in September is covered,
    // reported in time, and paid in October's run.
    demo.report(
        h.zhao,
        ClaimKind::NondesignatedEmergency,
        "2010-09-05",
        SY,
        "2010-09-06",
    )
    .await?;
    let emergency = demo
        .decided(
            &Form {
                person: h.zhao,
                payee: &zhao,
                kind: ClaimKind::NondesignatedEmergency,
                care: span("2010-09-05", "2010-09-12"),
                hospital: SY,
                grade: HospitalGrade::Two,
                billed: 8200,
                disease: None,
            },
            "2010-09-20",
            6800,
            "2010-09-28",
        )
        .await?;
    demo.pay(&emergency, &a.reviewer1, &admin).await?;
    // His outpatient rescue in October: checked once, waiting for the second reviewer.
    demo.report(
        h.zhao,
        ClaimKind::OutpatientEmergency,
        "2010-10-17",
        ULH,
        "2010-10-18",
    )
    .await?;
    let waiting = demo
        .file(
            &Form {
                person: h.zhao,
                payee: &zhao,
                kind: ClaimKind::OutpatientEmergency,
                care: span("2010-10-17", "2010-10-17"),
                hospital: ULH,
                grade: HospitalGrade::Two,
                billed: 1800,
                disease: None,
            },
            "2010-10-25",
        )
        .await?;
    demo.first_review(&waiting, 1500, HospitalGrade::Two)
        .await?;

    // --- 2026 --------------------------------------------------------------
    // 王秀兰's insulin treatment, approved the day she asked.
    let wang_resident = actor(db, "resident1").await?;
    let ok = demo
        .approval(
            &wang_resident,
            wang,
            ApprovalKind::SpecialDisease,
            Some(Disease::DiabetesInsulin),
            XAM,
            "2型糖尿病,需胰岛素治疗",
            "2026-03-15",
            "2026-03-15",
        )
        .await?;
    decide_approval(ok, true, "同意门诊胰岛素治疗").await?;
    // The pupil breaks an arm in a fall at school (a no-fault accident, B11):
    // paid in May's run.
    let accident = demo
        .decided(
            &Form {
                person: pupil,
                payee: &for_pupil,
                kind: ClaimKind::StudentAccident,
                care: span("2026-04-10", "2026-04-15"),
                hospital: ULH,
                grade: HospitalGrade::Two,
                billed: 6000,
                disease: None,
            },
            "2026-04-20",
            5000,
            "2026-04-28",
        )
        .await?;
    demo.pay(&accident, &admin, &a.reviewer2).await?;
    // A sprained ankle in gym class, approved for August's run (which the
    // league's two years, `population`, prepare and release).
    demo.decided(
        &Form {
            person: pupil,
            payee: &for_pupil,
            kind: ClaimKind::StudentAccident,
            care: span("2026-06-15", "2026-06-16"),
            hospital: CLINIC,
            grade: HospitalGrade::One,
            billed: 1400,
            disease: None,
        },
        "2026-06-25",
        1200,
        "2026-07-10",
    )
    .await?;
    // An outpatient rescue in September, reported and filed with its photos.
    demo.report(
        pupil,
        ClaimKind::OutpatientEmergency,
        "2026-09-12",
        ULH,
        "2026-09-13",
    )
    .await?;
    demo.file(
        &Form {
            person: pupil,
            payee: &for_pupil,
            kind: ClaimKind::OutpatientEmergency,
            care: span("2026-09-12", "2026-09-12"),
            hospital: ULH,
            grade: HospitalGrade::Two,
            billed: 1100,
            disease: None,
        },
        "2026-09-20",
    )
    .await?;
    // 赵德胜 asks for tuberculosis treatment next month: the request waits.
    demo.approval(
        &resident,
        h.zhao,
        ApprovalKind::SpecialDisease,
        Some(Disease::Tuberculosis),
        "兴安盟结核病防治所",
        "肺结核,需门诊抗结核治疗",
        "2026-12-01",
        "2026-10-20",
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn photos_are_pngs_with_their_own_bytes() {
        let (a, b) = (super::photo(1), super::photo(2));
        assert_eq!(db::documents::sniff(&a), Some("image/png"));
        assert_ne!(a, b);
        // The IEND chunk's CRC is the well-known constant.
        assert!(a.ends_with(&[0xAE, 0x42, 0x60, 0x82]));
    }
}
