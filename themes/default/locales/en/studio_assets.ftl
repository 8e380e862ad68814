# Studio: course files (/studio/kursy/{id}/pliki)
studio-assets-title = Course files
studio-assets-lead = Images, documents, transcripts and other files that course content links to (/static/…). Changes apply at once: each one saves a new version of the course.
studio-assets-upload-heading = Add a file
studio-assets-replace-heading = Replace the content of a file
studio-assets-file = File
studio-assets-file-hint = At most { $mb } MB. The name is cleaned as Open edX cleans it (e.g. spaces become underscores). A file with the same name is replaced.
studio-assets-replace-hint = At most { $mb } MB. The file keeps its name, so links in the content keep working.
studio-assets-upload-submit = Upload file
studio-assets-replace-submit = Replace file
studio-assets-cancel = Cancel
studio-assets-list-heading = Files in the current version
studio-assets-none = The course has no files yet.
studio-assets-col-name = Name
studio-assets-col-type = Type
studio-assets-col-size = Size
studio-assets-col-usage = Where used
studio-assets-col-actions = Actions
studio-assets-unused = Not used
studio-assets-used-units = { $count ->
    [one] Used in { $count } unit:
   *[other] Used in { $count } units:
}
studio-assets-use-transcript = video transcript
studio-assets-use-course-image = Course settings
studio-assets-use-about = About page
studio-assets-use-info = Course info
studio-assets-use-tab = Course tab
studio-assets-use-block = Course element
studio-assets-replace = Replace
studio-assets-delete = Delete
studio-assets-confirm-title = Delete a file in use
studio-assets-confirm-lead = This file is used in the course. Once it is deleted, links to it stop working. Older versions of the course keep the file.
studio-assets-uses-heading = Where the file is used
studio-assets-confirm-delete = Delete anyway
studio-assets-error-no-file = Choose a file to upload.
studio-assets-error-name = This file name is not allowed: it may not contain slashes or control characters, start with a dot, or be longer than 255 bytes.
studio-assets-error-too-large = The file is too large (at most 100 MB).
flash-assets-uploaded = File added.
flash-assets-replaced = File content replaced.
flash-assets-deleted = File deleted.
