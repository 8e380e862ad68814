//! Uploaded files, streamed to a scratch file under the data folder instead of memory, so a
//! large upload costs disk, not RAM, and a limit stops reading at once. Studio's imports and
//! assets and the office's attachments all come in this way.

use actix_multipart::Field;
use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

use super::{AppError, AppState};

/// An uploaded file part.
pub enum Received {
    File(tempfile::TempPath),
    /// An empty part: no file chosen, or an empty file (its scratch file, empty).
    Empty(tempfile::TempPath),
    /// Over the caller's limit: the caller stops reading the request.
    TooLarge,
}

/// Streams a file field to a scratch file in `data/tmp/` (removed when the returned path is
/// dropped), up to `max` bytes.
pub async fn receive_file(
    state: &AppState,
    field: &mut Field,
    max: u64,
) -> Result<Received, AppError> {
    let tmp_dir = state.config.data_dir.join("tmp");
    tokio::fs::create_dir_all(&tmp_dir)
        .await
        .map_err(AppError::internal)?;
    let path = tempfile::Builder::new()
        .prefix("upload-")
        .tempfile_in(&tmp_dir)
        .map_err(AppError::internal)?
        .into_temp_path();
    let mut out = tokio::fs::File::create(&path)
        .await
        .map_err(AppError::internal)?;
    let mut size = 0u64;
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(|e| AppError::BadRequest(e.to_string()))?;
        size += chunk.len() as u64;
        if size > max {
            return Ok(Received::TooLarge);
        }
        out.write_all(&chunk).await.map_err(AppError::internal)?;
    }
    out.flush().await.map_err(AppError::internal)?;
    Ok(if size > 0 {
        Received::File(path)
    } else {
        Received::Empty(path)
    })
}
