//! The phone photo of the upload benchmarks (db's `claims`, server's
//! `upload_http`): 5 MB, JPEG-headed, and distinct bytes for each `n`, so
//! that no upload is taken for another one already stored.

pub const MB: usize = 1024 * 1024;
pub const PHOTO: usize = 5 * MB;

pub fn photo(n: u64) -> Vec<u8> {
    let mut b = Vec::with_capacity(PHOTO);
    b.extend([0xFF, 0xD8, 0xFF, 0xE0]);
    // A cheap generator: the content only needs to be distinct and not compressible.
    let mut x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    while b.len() < PHOTO {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        b.extend(x.to_le_bytes());
    }
    b.truncate(PHOTO);
    b
}
